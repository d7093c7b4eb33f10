/**
 * Where benchmark results go: each benchmark owns one `## Heading` section of docs/benchmarks.md
 * and replaces only that section, leaving the others as they are.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCHMARKS_FILE = path.join(import.meta.dirname, '..', 'docs', 'benchmarks.md');

/** `doc` with the section starting at `## <heading>` replaced by `section` (or appended). Pure. */
export function replaceSection(doc: string, heading: string, section: string): string {
  const body = `${section.trimEnd()}\n`;
  const start = doc.search(new RegExp(`^## ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm'));
  if (start < 0) return `${doc.trimEnd()}\n\n${body}`;
  const next = doc.indexOf('\n## ', start + 3);
  return `${doc.slice(0, start)}${body}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`;
}

/** Writes one benchmark's section (which must begin with `## <heading>`). */
export function writeBenchmarkSection(heading: string, section: string, file = BENCHMARKS_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  writeFileSync(file, replaceSection(old, heading, section));
  console.log(`wrote the "${heading}" section of ${path.relative(process.cwd(), file)}`);
}

/** 1-min load average when the benchmark's process started (this module is loaded at start). */
const LOAD_AT_START = os.loadavg()[0]!;

/**
 * "Machine: CPU, cores; Node; date UTC; 1-min load average at start and end" for a section's
 * first line. Runs whose numbers are committed go through /work/tools/quiet.sh (others' background
 * jobs paused, no heavy jobs), but the machine is shared: the load says how quiet it was.
 */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `Machine: ${cpu}, ${os.cpus().length} cores (shared); Node ${process.version}; ${when} UTC; 1-min load average ${LOAD_AT_START.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end`;
}
