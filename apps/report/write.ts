/** The shell around the report: read run folders, render, write the HTML file. */
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../../core/result.ts';
import { loadRun } from '../replay/recording.ts';
import { reportData } from './data.ts';
import { renderReport } from './html.ts';

/** Writes the report of one to three runs (side by side); default file: `<first run>/report.html`. Returns its path. */
export function writeReport(runDirs: string[], out?: string): Result<string, 'not_found' | 'bad_summary' | 'bad_recording' | 'usage'> {
  if (runDirs.length < 1 || runDirs.length > 3) return fail('usage', 'give one to three run folders');
  const data = [];
  for (const dir of runDirs) {
    const r = loadRun(dir);
    if (!r.ok) return r;
    data.push(reportData(r.value));
  }
  const file = out ?? path.join(runDirs[0]!, 'report.html');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderReport(data));
  return ok(file);
}
