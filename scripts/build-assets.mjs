// Second half of `npm run build` (after `tsc -p tsconfig.build.json` compiled the TypeScript to
// dist/): copies what the JavaScript loads at run time but tsc does not emit — the .proto contract
// files (proto/schema.ts reads them next to itself), the worker scripts (.mjs) and the view's
// static files — and writes the two entry points, dist/bin/uavmec.js and dist/bin/uavmec-agent.js,
// which run the compiled program with plain node (no TypeScript, no tsx).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'apps/cli/main.js'))) {
  console.error('build: dist/apps/cli/main.js missing — run tsc -p tsconfig.build.json first (npm run build does both)');
  process.exit(1);
}

let copied = 0;
function copyMatching(dir, keep) {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') copyMatching(rel, keep);
    } else if (keep(rel)) {
      fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(dist, rel));
      copied++;
    }
  }
}
for (const top of ['apps', 'core', 'proto', 'firmware-bridge', 'engines', 'sim']) {
  copyMatching(top, (f) => f.endsWith('.mjs') || f.endsWith('.proto') || f.includes(`${path.sep}public${path.sep}`));
}

const bin = (entry, what) => `#!/usr/bin/env node
// ${what} — the compiled JavaScript (npm run build), plain node.
import { main } from '${entry}';

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
`;
fs.mkdirSync(path.join(dist, 'bin'), { recursive: true });
fs.writeFileSync(path.join(dist, 'bin/uavmec.js'), bin('../apps/cli/main.js', '`uavmec`'), { mode: 0o755 });
fs.writeFileSync(path.join(dist, 'bin/uavmec-agent.js'), bin('../apps/cli/agent-main.js', '`uavmec-agent`: the on-UAV agent alone'), { mode: 0o755 });
console.log(`build: dist/ ready (${copied} assets copied; run node dist/bin/uavmec.js or dist/bin/uavmec-agent.js)`);
