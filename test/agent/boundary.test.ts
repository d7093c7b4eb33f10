/**
 * The agent boundary (issue 14 §1): everything `uavmec-agent` can load — its import closure,
 * type-only imports included — lies in core, proto, firmware-bridge, the agent, security and the
 * few shell files of its command, and names no npm package beyond the agent package's. The same
 * check flags a closure that reaches further (the mission's), and the lint rule fires on a
 * forbidden import in an agent file.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { chain, importClosure, type ImportClosure } from '../../scripts/lib/import-closure.ts';
import { AGENT_PACKAGES as AGENT_PACKAGE_LIST } from '../../scripts/lib/agent-package.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = 'apps/cli/agent-main.ts';

/**
 * engines/video is S2's transcoding model (rates, cycles, energy): pure and importing only core, so
 * the agent computes with the same equations the controller plans with. The closure check below
 * still fails if it ever reaches further.
 */
const ALLOWED_DIRS = ['core/', 'proto/', 'firmware-bridge/', 'apps/agent/', 'apps/security/', 'engines/video/'];
const ALLOWED_FILES = new Set([
  'apps/common/log.ts', 'apps/common/bus.ts',
  'apps/cli/agent-main.ts', 'apps/cli/run-command.ts', 'apps/cli/start-errors.ts', 'apps/cli/commands/agent.ts',
  'apps/cli/clock-options.ts', 'apps/cli/broker-auth.ts', 'apps/cli/args.ts', 'apps/cli/command.ts',
]);
/** What the agent package depends on (scripts/pack-agent.ts ships exactly these). */
const AGENT_PACKAGES: ReadonlySet<string> = new Set(AGENT_PACKAGE_LIST);
const FORBIDDEN = /^sim\/|^engines\/(planning|scheduling)\/|^apps\/(controller|mission|trainer|experiments|replay|report|view)\/|^apps\/common\/(broker|recorder)\.ts$/;
const FORBIDDEN_PACKAGES = /^(aedes|highs|@tensorflow\/.*|tsx|typescript)$/;

/** Every way a closure leaves the boundary, one line each with how the file got in. */
function violations(c: ImportClosure): string[] {
  const out: string[] = [];
  for (const abs of c.files) {
    const f = path.relative(ROOT, abs);
    if (ALLOWED_FILES.has(f) || ALLOWED_DIRS.some((d) => f.startsWith(d))) continue;
    out.push(`${FORBIDDEN.test(f) ? 'forbidden' : 'outside the boundary'}: ${chain(ROOT, c, abs)}`);
  }
  for (const [p, by] of c.packages) {
    if (FORBIDDEN_PACKAGES.test(p)) out.push(`forbidden package ${p} (imported by ${by.join(', ')})`);
    else if (!AGENT_PACKAGES.has(p)) out.push(`package ${p} is not an agent dependency (imported by ${by.join(', ')})`);
  }
  return out;
}

void test('the agent\'s import closure stays inside core, proto, firmware-bridge, the agent and security', () => {
  const c = importClosure(ROOT, [ENTRY]);
  assert.deepEqual(violations(c), []);
  // It is the agent, not an empty walk: the command, the service, the bridge, the codec, the MQTT client.
  const files = new Set(c.files.map((f) => path.relative(ROOT, f)));
  for (const f of ['apps/cli/commands/agent.ts', 'apps/agent/service/agent.ts', 'apps/agent/profile/file.ts', 'firmware-bridge/bridge/index.ts', 'proto/codec.ts', 'core/geo.ts']) assert.ok(files.has(f), `${f} in the closure`);
  assert.ok(c.packages.has('mqtt') && c.packages.has('onnxruntime-node'));
  assert.ok(c.files.some((f) => f.endsWith('worker.mjs')), 'worker scripts reached by new URL(…, import.meta.url) are in the closure');
});

void test('the same check flags a closure that reaches the simulator, the engines and aedes (the mission\'s)', () => {
  const v = violations(importClosure(ROOT, ['apps/cli/commands/mission.ts']));
  assert.ok(v.some((l) => /^forbidden: sim\//.test(l)), 'sim flagged');
  assert.ok(v.some((l) => /^forbidden: engines\/(planning|scheduling)\//.test(l)), 'planning engines flagged');
  assert.ok(v.some((l) => /forbidden package aedes/.test(l)), 'aedes flagged');
  assert.ok(v.some((l) => /forbidden package highs/.test(l)), 'highs flagged');
});

void test('lint: a forbidden import in an agent file (or a layer below it) is an error; elsewhere it is not', async () => {
  // Parsed without type information (the probe files do not exist on disk); the boundary rule needs none.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [{ languageOptions: { parserOptions: { projectService: false } }, rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' } }],
  });
  const lint = async (file: string, text: string) => (await eslint.lintText(text, { filePath: path.join(ROOT, file) }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
  assert.equal(await lint('apps/agent/probe.ts', "import { defaultScenario } from '../../sim/world/index.ts';\nexport const s = defaultScenario;\n"), 1);
  assert.equal(await lint('apps/agent/plan/probe.ts', "export { DEFAULT_POOL_PARAMS } from '../../../engines/scheduling/index.ts';\n"), 1);
  assert.equal(await lint('apps/agent/plan/probe.ts', "export { planOffloading } from '../../../engines/planning/offload/index.ts';\n"), 1);
  assert.equal(await lint('apps/cli/commands/agent.ts', "import { startEmbeddedBroker } from '../../common/broker.ts';\nexport const b = startEmbeddedBroker;\n"), 1);
  assert.equal(await lint('apps/agent/probe.ts', "import { createLogger } from '../common/index.ts';\nexport const l = createLogger;\n"), 1);
  assert.equal(await lint('firmware-bridge/probe.ts', "import aedes from 'aedes';\nexport const a = aedes;\n"), 1);
  assert.equal(await lint('apps/agent/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n"), 1);
  assert.equal(await lint('apps/controller/probe.ts', "export { defaultScenario } from '../../sim/world/index.ts';\n"), 0);
});
