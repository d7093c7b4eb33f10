/**
 * CSV output for experiments (RFC 4180): a header row, one row per record, fields quoted only
 * when they contain a comma, quote or newline. Numbers are written with full precision
 * (`String(n)`); non-finite numbers become empty fields.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type CsvValue = string | number | boolean | null | undefined;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text for `header` + `rows`; every row must have the header's length. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(field).join(',')];
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new RangeError(`CSV row ${i} has ${r.length} fields, header has ${header.length}`);
    lines.push(r.map(field).join(','));
  });
  return lines.join('\n') + '\n';
}

/** Writes a CSV file (creating the folder) and returns its path. */
export async function writeCsv(path: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, toCsv(header, rows));
  return path;
}

/** Writes any text file (an SVG, a JSON summary), creating the folder; returns its path. */
export async function writeText(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}
