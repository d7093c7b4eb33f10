/**
 * `npm run pack:agent [-- --platform linux-arm64] [--out DIR]`: the agent alone as an npm package,
 * `uavmec-agent-<version>.tgz`, for a companion computer (issue 14 §2). After `npm run build`:
 *
 * - the files: exactly the import closure of dist/bin/uavmec-agent.js (compiled JavaScript, no
 *   TypeScript, no tsx) plus the .proto contract files it reads at run time, the systemd unit, an
 *   example profile and the deployment guide;
 * - the dependencies: exactly the npm packages that closure imports (a package outside the agent's
 *   list fails the pack), at the root package.json's versions;
 * - onnxruntime-node ships native binaries for every OS (288 MB); it is bundled into the tarball
 *   with only the target platform's (`--platform`, default this machine's), so `npm install` takes
 *   it from the tarball and the package declares that platform in `os`/`cpu`; node-mavlink and its
 *   mappings are bundled without the TypeScript compilers they list as dependencies (BUNDLED).
 *
 * Install on the companion computer, offline from the tarball and an npm cache or mirror:
 *   npm install --omit=dev ./uavmec-agent-<version>.tgz   →   node_modules/.bin/uavmec-agent
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importClosure } from './lib/import-closure.ts';
import { AGENT_PACKAGES, ORT_PLATFORMS } from './lib/agent-package.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');

/**
 * Packages shipped inside the tarball, with the runtime dependencies they keep (their package.json
 * is rewritten to exactly these; install scripts and dev dependencies dropped):
 * - onnxruntime-node: one platform's native binaries of the five it ships; its install script only
 *   fetches optional CUDA binaries;
 * - node-mavlink's mappings (mavlink-mappings) list ts-node and a code generator as dependencies —
 *   55 MB of TypeScript compilers at run time; what they load is the generator's small runtime
 *   (mavlink-mappings-gen → xml2js → sax, xmlbuilder), so that is what ships.
 */
const BUNDLED: Record<string, { keep: string[]; pruneOrt?: boolean }> = {
  'onnxruntime-node': { keep: ['onnxruntime-common'], pruneOrt: true },
  'onnxruntime-common': { keep: [] },
  'node-mavlink': { keep: ['mavlink-mappings'] },
  'mavlink-mappings': { keep: ['mavlink-mappings-gen'] },
  'mavlink-mappings-gen': { keep: ['xml2js'] },
  xml2js: { keep: ['sax', 'xmlbuilder'] },
  sax: { keep: [] },
  xmlbuilder: { keep: [] },
};

const readPkg = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string };

/** Copies node_modules/<name> into the stage (no nested node_modules), rewrites its package.json; returns its version. */
function bundle(stage: string, name: string, b: { keep: string[]; pruneOrt?: boolean }, os: string, cpu: string): string {
  const from = path.join(ROOT, 'node_modules', name);
  const to = path.join(stage, 'node_modules', name);
  copy(from, to, (src) => {
    const parts = path.relative(from, src).split(path.sep);
    if (parts.includes('node_modules')) return false;
    if (!b.pruneOrt) return true;
    if (parts[0] === 'script') return false;
    if (parts[0] !== 'bin' || parts[1] !== 'napi-v6') return true;
    return (parts[2] === undefined || parts[2] === os) && (parts[3] === undefined || parts[3] === cpu);
  });
  const pkg = readPkg(from);
  delete pkg.scripts;
  delete pkg.devDependencies;
  delete pkg.optionalDependencies;
  delete pkg.peerDependencies;
  pkg.dependencies = Object.fromEntries(b.keep.map((d) => [d, readPkg(path.join(ROOT, 'node_modules', d)).version]));
  fs.writeFileSync(path.join(to, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return pkg.version;
}

export interface PackResult {
  tarball: string;
  files: number;
  dependencies: Record<string, string>;
  platform: string;
  tarballBytes: number;
}

function fail(msg: string): never {
  console.error(`pack:agent: ${msg}`);
  process.exit(1);
}

function copy(from: string, to: string, filter: (src: string) => boolean = () => true): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => filter(src) });
}

export function packAgent(o: { platform?: string; out?: string } = {}): PackResult {
  const platform = o.platform ?? `${process.platform}-${process.arch}`;
  if (!(ORT_PLATFORMS as readonly string[]).includes(platform)) fail(`--platform ${platform}: onnxruntime-node ships ${ORT_PLATFORMS.join(', ')}`);
  const [os, cpu] = platform.split('-') as [string, string];
  const entry = path.join(DIST, 'bin/uavmec-agent.js');
  if (!fs.existsSync(entry)) fail('dist/bin/uavmec-agent.js missing: run npm run build first (npm run pack:agent does)');
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string> };

  const closure = importClosure(DIST, [entry], { typeOnly: false });
  const unexpected = [...closure.packages.keys()].filter((p) => !(AGENT_PACKAGES as readonly string[]).includes(p));
  if (unexpected.length) fail(`the agent's closure imports ${unexpected.map((p) => `${p} (from ${closure.packages.get(p)!.join(', ')})`).join('; ')}: not an agent dependency`);

  const stage = path.join(ROOT, '.tmp', 'pack-agent');
  fs.rmSync(stage, { recursive: true, force: true });
  for (const f of closure.files) {
    const rel = path.relative(DIST, f);
    fs.mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
    fs.copyFileSync(f, path.join(stage, rel));
  }
  copy(path.join(DIST, 'proto/uavmec'), path.join(stage, 'proto/uavmec'));
  fs.chmodSync(path.join(stage, 'bin/uavmec-agent.js'), 0o755);
  copy(path.join(ROOT, 'deploy/agent'), path.join(stage, 'deploy'));
  fs.copyFileSync(path.join(ROOT, 'docs/deploy-agent.md'), path.join(stage, 'README.md'));

  const dependencies: Record<string, string> = {};
  for (const p of [...closure.packages.keys()].filter((x) => !(x in BUNDLED)).sort()) {
    const v = rootPkg.dependencies[p];
    if (!v) fail(`${p} is not in the root package.json's dependencies`);
    dependencies[p] = v;
  }
  for (const [name, b] of Object.entries(BUNDLED)) dependencies[name] = bundle(stage, name, b, os, cpu);
  const pkg = {
    name: 'uavmec-agent',
    version: rootPkg.version,
    description: `uavmec on-UAV agent for a companion computer (${platform}): plan gate, guidance, safety envelope, failsafes, executors, ONNX policy runner, MAVLink 2 bridge`,
    license: rootPkg.license,
    type: 'module',
    bin: { 'uavmec-agent': 'bin/uavmec-agent.js' },
    engines: { node: '>=20' },
    os: [os],
    cpu: [cpu],
    dependencies,
    bundleDependencies: Object.keys(BUNDLED),
  };
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const out = path.resolve(o.out ?? ROOT);
  fs.mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1)!;
  const tarball = path.join(out, name);
  return { tarball, files: closure.files.length, dependencies, platform, tarballBytes: fs.statSync(tarball).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { platform: { type: 'string' }, out: { type: 'string' } } });
  const r = packAgent({ ...(values.platform ? { platform: values.platform } : {}), ...(values.out ? { out: values.out } : {}) });
  console.log(`${path.relative(process.cwd(), r.tarball)}: ${(r.tarballBytes / 1e6).toFixed(1)} MB, ${r.files} modules, ${r.platform}`);
  console.log(`dependencies: ${Object.entries(r.dependencies).map(([k, v]) => `${k}@${v}`).join(', ')}`);
}
