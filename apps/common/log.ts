/**
 * Structured logging with pino. Processes log JSON lines to stderr (or a file); `LOG_LEVEL`
 * sets the level (default info). Components get child loggers with a `component` field.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(opts: { name: string; level?: string; file?: string }): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  const dest = opts.file ? pino.destination({ dest: opts.file, sync: false, mkdir: true }) : pino.destination(2);
  return pino({ name: opts.name, level, base: { name: opts.name } }, dest);
}

/** A logger that discards everything (for tests that assert on behaviour, not logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
