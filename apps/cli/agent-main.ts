/**
 * `uavmec-agent`: the agent alone, as the agent package installs it on a companion computer (the
 * same command as `uavmec agent`). Its import closure is the agent boundary (issue 14 §1): core,
 * proto, firmware-bridge, the MQTT runtime and security — test/agent/boundary.test.ts checks it.
 */
import command from './commands/agent.ts';
import { runCommand } from './run-command.ts';

export function main(argv: string[]): Promise<number> {
  return runCommand('uavmec-agent', { ...command, help: command.help.replaceAll('uavmec agent', 'uavmec-agent') }, argv);
}
