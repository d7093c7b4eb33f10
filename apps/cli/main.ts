/**
 * `uavmec` — the command-line tool. `uavmec <command> --help` documents each command.
 */
import type { Command } from './command.ts';
import { runCommand } from './run-command.ts';

/** Commands, loaded lazily so `uavmec sitl` does not load onnxruntime or TensorFlow. */
const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {};

export function registerCommand(name: string, summary: string, load: () => Promise<{ default: Command }>): void {
  commands[name] = { summary, load };
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length), 8);
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'uavmec — UAV-assisted mobile edge computing: controller, agent, SITL and tools',
    '',
    'Usage: uavmec <command> [options]      uavmec <command> --help',
    '',
    'Commands:',
    ...lines,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  await import('./commands/index.ts');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`uavmec: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return runCommand(`uavmec ${name}`, (await entry.load()).default, rest);
}
