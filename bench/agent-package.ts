/**
 * The built agent for the benchmarks: `npm run pack:agent` into a temporary folder, then
 * `npm install --omit=dev` of the tarball into an empty folder (dependencies from the npm cache).
 * Returns the installed `uavmec-agent.js` and the sizes (tarball, installed node_modules; the
 * repository's own node_modules for comparison).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dirBytes } from '../scripts/lib/agent-package.ts';

export interface AgentPackage {
  dir: string;
  bin: string;
  tarballMb: number;
  installedMb: number;
  repoNodeModulesMb: number;
  platform: string;
}


export function installAgentPackage(): AgentPackage {
  const root = path.resolve(import.meta.dirname, '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-agent-pkg-'));
  const run = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['run', 'pack:agent', '--', '--out', dir], root);
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const tgz = path.join(dir, `uavmec-agent-${version}.tgz`);
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{ "private": true }\n');
  run(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tgz], app);
  return {
    dir, bin: path.join(app, 'node_modules/uavmec-agent/bin/uavmec-agent.js'),
    tarballMb: fs.statSync(tgz).size / 1e6, installedMb: dirBytes(path.join(app, 'node_modules')) / 1e6,
    repoNodeModulesMb: dirBytes(path.join(root, 'node_modules')) / 1e6, platform: `${process.platform}-${process.arch}`,
  };
}
