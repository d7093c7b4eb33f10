/**
 * Runs one command with the shared conventions: `--help`, usage errors (one line naming the
 * option and pointing at --help, exit 2), command errors (one line, exit 1). Used by
 * `uavmec <command>` and by the stand-alone `uavmec-agent` of the agent package.
 */
import { CommandError, UsageError, type Command } from './command.ts';
import { explainStartError } from './start-errors.ts';

export async function runCommand(prog: string, cmd: Command, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${prog}: ${e.message} (see '${prog} --help')`);
      return 2;
    }
    const line = e instanceof CommandError ? e.message : explainStartError(e);
    if (line === undefined) throw e;
    console.error(`${prog}: ${line}`);
    return 1;
  }
}
