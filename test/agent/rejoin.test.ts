/**
 * Issue 14 §4 evidence, with `uavmec agent` as child processes against the SITL and a real MQTT
 * broker: a second agent for a flying UAV is refused (local lock on this host; the broker's
 * presence record from "another host"), one line and exit 1, while the first keeps flying; an agent
 * killed mid-flight and restarted WITHOUT its state adopts the flying vehicle (no takeoff, no
 * "already flying" refusals) and flies the next plan; an unreachable autopilot is reported as such
 * before anything reaches the broker.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { ScaledClock } from '../../core/clock.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { profileJson } from '../../apps/agent/profile/index.ts';
import { decodeRaw, type AgentPresence } from '../../proto/index.ts';
import { startSitl } from '../../sim/autopilot/index.ts';
import { defaultScenario, uavProfile } from '../../sim/world/index.ts';
import { MiniController, until } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SPEED = 2;

function runAgent(args: string[], logFile: string, env: Record<string, string> = {}): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, [path.join(ROOT, 'bin/uavmec.mjs'), 'agent', ...args], { stdio: ['ignore', out, out], env: { ...process.env, LOG_LEVEL: 'info', ...env } });
}

/** Runs an agent that must fail at start: its exit code and what it printed. */
async function failing(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/uavmec.mjs'), 'agent', ...args], { env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, out };
}

/**
 * The retained presence record of UAV 1 as a newly subscribing client reads it (undefined: none
 * within 10 s of wall time: generous, as a child agent's start-up below, for a loaded machine).
 */
async function retainedPresence(url: string): Promise<AgentPresence | undefined> {
  const c = await mqtt.connectAsync(url, { clientId: `probe-${process.pid}-${Math.random().toString(36).slice(2)}` });
  try {
    const got = new Promise<AgentPresence | undefined>((resolve) => {
      c.on('message', (_t, buf, packet) => {
        const r = decodeRaw('AgentPresence', buf);
        if (packet.retain && r.ok) resolve(r.value);
      });
    });
    await c.subscribeAsync('uavmec/v1/uav/1/presence', { qos: 1 });
    return await Promise.race([got, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
  } finally {
    await c.endAsync();
  }
}

/** The failure is one line of its own on stderr (after any JSON log lines), with no stack trace. */
function oneLine(out: string, re: RegExp): void {
  const lines = out.trim().split('\n').filter((l) => !l.startsWith('{'));
  assert.equal(lines.length, 1, `one line, got:\n${out}`);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(out, /^\s+at /m, 'no stack trace');
}

test('one agent per UAV, and a restart without state rejoins the flying vehicle', { timeout: 600_000 }, async (t) => {
  const scenario = defaultScenario({ uavs: 1, users: 0, slots: 10, seed: 5 });
  const anchorMs = Date.now();
  const clock = new ScaledClock(SPEED, undefined, anchorMs);
  const broker = await startEmbeddedBroker();
  const sitl = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: scenario.origin, basePort: 0, batteryJ: scenario.uav.batteryJ });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-agent-rejoin-'));
  const log = path.join(dir, 'agent.log');
  const profile = path.join(dir, 'uav-1.profile.json');
  fs.writeFileSync(profile, profileJson(uavProfile(scenario, 1, clock.nowUs())));
  const locks = { RUNTIME_DIRECTORY: path.join(dir, 'locks') };
  const common = ['--uav', '1', '--profile', profile, '--autopilot', sitl.vehicles[0]!.url, '--broker', broker.url, '--speed', String(SPEED), '--anchor', String(anchorMs)];
  const ctl = await MiniController.start(broker.url, clock, 1, scenario.slotS);
  const truth = () => sitl.vehicles[0]!.truth();
  let child = runAgent([...common, '--state-dir', path.join(dir, 'state')], log, locks);
  try {
    await until(() => fs.readFileSync(log, 'utf8').includes('agent running'), 'agent up', 180_000);
    const first = await retainedPresence(broker.url);
    assert.ok(first?.online && first.pid === child.pid, 'the agent holds its retained presence record');
    const seq = await ctl.plan(ctl.goto(40, 40, scenario.cruiseAltM, 4));
    await until(() => ctl.acks.some((a) => a.seq === seq && a.accepted), 'plan acked', 30_000);
    await until(() => truth().global.relAltM > scenario.cruiseAltM * 0.8 && truth().mode === 'GUIDED', 'airborne', 60_000);

    // A second agent on this computer: the local lock refuses it.
    const local = await failing([...common, '--no-state'], locks);
    assert.equal(local.code, 1);
    oneLine(local.out, /^uavmec agent: another agent runs on this computer: UAV 1 is held by process \d+/);
    // A second agent "on another computer" (its own lock directory): the broker's presence record refuses it.
    const remote = await failing([...common, '--no-state'], { RUNTIME_DIRECTORY: path.join(dir, 'other-host-locks') });
    assert.equal(remote.code, 1);
    oneLine(remote.out, /^uavmec agent: another agent already flies UAV 1 \(host .+, pid \d+, since .+\): stop it first/);
    assert.ok(child.exitCode === null, 'the first agent still runs');
    const after = await retainedPresence(broker.url);
    assert.ok(after?.online && after.instance === first.instance, 'the refused agents left the presence record alone');

    // Kill the agent mid-flight; restart it without its state directory. The first target may
    // have been reached while the refused agents started (slow on a busy machine): a far one first.
    const far = await ctl.plan(ctl.goto(110, 110, scenario.cruiseAltM, 4));
    await until(() => ctl.acks.some((a) => a.seq === far && a.accepted), 'far plan acked', 30_000);
    await until(() => Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y) > 2, 'flying the plan', 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    for (let i = 0; i < 100 && (await retainedPresence(broker.url))?.online; i++) await new Promise((r) => setTimeout(r, 200));
    const will = await retainedPresence(broker.url);
    assert.ok(will && !will.online && will.instance === first.instance, 'the broker published the dead agent\'s last will');
    const launchesBefore = ctl.events.filter((e) => e.code.startsWith('launch.')).length;
    const posAtRestart = truth().positionNedM;
    child = runAgent([...common, '--no-state'], log, locks);
    await until(() => ctl.events.some((e) => e.code === 'agent.adopted'), 'agent.adopted event', 180_000);
    t.diagnostic(ctl.events.find((e) => e.code === 'agent.adopted')!.text);
    assert.match(ctl.events.find((e) => e.code === 'agent.adopted')!.text, /holding there until the next plan, no takeoff/);
    const seq2 = await ctl.plan(ctl.goto(10, 60, scenario.cruiseAltM, 4));
    await until(() => ctl.acks.some((a) => a.seq === seq2 && a.accepted), 'new plan acked', 30_000);
    const target = { n: 60, e: 10 };
    const dBefore = Math.hypot(target.n - posAtRestart.x, target.e - posAtRestart.y);
    await until(() => Math.hypot(target.n - truth().positionNedM.x, target.e - truth().positionNedM.y) < dBefore - 5, 'flying the new plan', 60_000);
    assert.equal(ctl.events.filter((e) => e.code.startsWith('launch.')).length, launchesBefore, 'no launch attempted on a flying vehicle');
    assert.ok(truth().armed && truth().global.relAltM > 5);
    const again = await retainedPresence(broker.url);
    assert.ok(again?.online && again.pid === child.pid && again.instance !== first.instance, 'the restarted agent holds the record again');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await ctl.close().catch(() => undefined);
    await sitl.stop();
    await broker.close();
    if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreachable autopilot or broker, a bad URL, a bad profile: one line saying what to do, exit 1 or 2, nothing published', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-agent-start-'));
  const profile = path.join(dir, 'uav-1.profile.json');
  fs.writeFileSync(profile, profileJson(uavProfile(defaultScenario(), 1, 1)));
  const topics: string[] = [];
  const observer = await mqtt.connectAsync(broker.url, { clientId: `observer-${process.pid}` });
  observer.on('message', (topic) => topics.push(topic));
  await observer.subscribeAsync('#', { qos: 1 });
  const env = { RUNTIME_DIRECTORY: path.join(dir, 'locks') };
  const base = ['--uav', '1', '--profile', profile, '--no-state', '--connect-timeout', '2'];
  try {
    const refused = await failing([...base, '--autopilot', 'tcp://127.0.0.1:1', '--broker', broker.url], env);
    assert.equal(refused.code, 1);
    oneLine(refused.out, /^uavmec agent: no heartbeat from autopilot 1 on tcp:\/\/127\.0\.0\.1:1 within \d+ s \(connect ECONNREFUSED 127\.0\.0\.1:1\): check that it is powered/);
    const silent = await failing([...base, '--autopilot', 'udpout://127.0.0.1:9', '--broker', broker.url], env);
    assert.equal(silent.code, 1);
    oneLine(silent.out, /^uavmec agent: no heartbeat from autopilot 1 on udpout:\/\/127\.0\.0\.1:9 within/);
    assert.deepEqual(topics, [], 'no twin state (nothing at all) published for a vehicle that is not there');

    const sitl = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock: new ScaledClock(1), home: defaultScenario().origin, basePort: 0 });
    try {
      const noBroker = await failing([...base, '--autopilot', sitl.vehicles[0]!.url, '--broker', 'mqtt://127.0.0.1:1'], env);
      assert.equal(noBroker.code, 1);
      oneLine(noBroker.out, /^uavmec agent: cannot connect to the MQTT broker at mqtt:\/\/127\.0\.0\.1:1: .*is the broker running there/);
    } finally {
      await sitl.stop();
    }
    const badUrl = await failing([...base, '--autopilot', 'udp//:14540', '--broker', broker.url], env);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.out, /^uavmec agent: --autopilot: 'udp\/\/:14540' is not a transport URL; accepted: udp:\/\/\[host\]:port/);
    const badScheme = await failing([...base, '--autopilot', 'udp://:14540', '--broker', 'http://x:1883'], env);
    assert.equal(badScheme.code, 2);
    assert.match(badScheme.out, /--broker: broker URL must start with mqtt:\/\/ or mqtts:\/\/, got 'http:\/\/x:1883'/);
    fs.writeFileSync(profile, fs.readFileSync(profile, 'utf8').replace('"max_speed_m_s"', '"max_speed"'));
    const badProfile = await failing([...base, '--autopilot', 'udp://:14540', '--broker', broker.url], env);
    assert.equal(badProfile.code, 2);
    assert.match(badProfile.out, /--profile '.*': limits\.max_speed: unknown field/);
    assert.doesNotMatch(badUrl.out + badScheme.out + badProfile.out, /^\s+at /m);
  } finally {
    await observer.endAsync();
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
