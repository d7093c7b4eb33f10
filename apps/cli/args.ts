/**
 * Option parsing for subcommands, on top of node:util parseArgs: unknown options and bad
 * values become `UsageError`s that say what was expected.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends OptionSpec>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Parses a number option, with bounds; `undefined` → `fallback`. */
export function num(value: string | boolean | undefined, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got '${String(value)}'`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses an integer option, with bounds. */
export function int(value: string | boolean | undefined, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const n = num(value, name, fallback, min, max);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} expects a whole number, got ${n}`);
  return n;
}

/** Parses an option restricted to a set of names. */
export function oneOf<T extends string>(value: string | boolean | undefined, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${String(value)}'`);
  }
  return value as T;
}
