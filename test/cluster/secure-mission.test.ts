/**
 * A secure mission on a clustered broker (issue 19 §4): `uavmec keys` material, the 3-node
 * nats-server cluster started with the users and permissions generated from its passwords.json
 * (`uavmec cluster --secrets DIR`), and the mission run against the nodes' list with every process
 * under its own identity (`uavmec mission --broker <list> --secure --secrets DIR`): signed plans,
 * MAVLink signing, the read-only recorder. The mission completes, and no node refused anything of
 * its (no permission violation in the node logs: before the fix the recorder's `uavmec/#` was
 * refused — nats-server subscribes it as `uavmec.>` *and* `uavmec`). Lockstep, so the same on any load.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { NATS_SERVER_BIN, startNatsCluster } from '../../apps/cluster/index.ts';
import { clusterAuthorization } from '../../apps/cli/commands/cluster.ts';
import { runMission } from '../../apps/mission/run.ts';
import { createFleetKeys } from '../../apps/security/fleet-keys.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { assertMissionCompleted } from '../e2e/outcome.ts';

const noNats = !fs.existsSync(NATS_SERVER_BIN) && `nats-server not installed at ${NATS_SERVER_BIN}`;

test('secure mission on a 3-node NATS cluster: the keys\' identities and passwords, the ACL as NATS permissions, nothing refused', { timeout: 300_000, skip: noNats }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-secure-cluster-'));
  const keysDir = path.join(dir, 'keys');
  const keys = await createFleetKeys({ fleet: 2, out: keysDir, recorder: true });
  assert.ok(keys.ok, keys.ok ? '' : keys.detail);
  const cluster = await startNatsCluster({ nodes: 3, dir: path.join(dir, 'cluster'), authorization: clusterAuthorization(keysDir) });
  let passed = false;
  try {
    const scenario = defaultScenario({ uavs: 2, users: 8, slots: 8, seed: 7 });
    const summary = await runMission({ scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir: path.join(dir, 'run'), brokerUrl: cluster.urls.join(','), security: { secretsDir: keysDir } });
    assertMissionCompleted(summary, scenario);
    assert.equal(summary.totals.plansNacked, 0);
    const security = (summary as unknown as { security?: { identities: number; signedPlans: boolean; mavlinkSigning: boolean } }).security;
    assert.deepEqual(security && [security.identities, security.signedPlans, security.mavlinkSigning], [5, true, true]);
    const logs = cluster.nodes.map((n) => fs.readFileSync(path.join(dir, 'cluster', n.name, 'server.log'), 'utf8')).join('');
    assert.deepEqual(logs.split('\n').filter((l) => /Violation|Authorization Error/.test(l)).slice(0, 5), [], 'no node refused a publish, a subscription or a login');
    passed = true;
  } finally {
    await cluster.stop();
    if (passed) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept for inspection: ${dir}`);
  }
});

test('uavmec cluster --secrets: a directory without passwords.json, or with a stranger in it, is one clear line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-secrets-'));
  try {
    assert.throws(() => clusterAuthorization(dir), /--secrets: cannot read .*passwords\.json .*uavmec keys --fleet N --recorder/);
    fs.writeFileSync(path.join(dir, 'passwords.json'), JSON.stringify({ controller: 'a', world: 'b', eve: 'c' }));
    assert.throws(() => clusterAuthorization(dir), /--secrets: passwords\.json: 'eve' is not a fleet identity/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
