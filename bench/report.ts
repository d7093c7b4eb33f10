/**
 * Where benchmark results go: each benchmark owns one `## Heading` section of docs/benchmarks.md
 * and replaces only that section, leaving the others as they are.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
