/**
 * Issue 6 §4 evidence: the agent process (`uavmec agent`, a child process) is killed with SIGKILL
 * mid-flight. Its setpoints stop, so the SITL's own failsafe fires within its timeout — PX4:
 * offboard loss after COM_OF_LOSS_T (1 s) → hold; ArduCopter: GUIDED velocity targets expire
 * after 3 s → brake. A new agent on the same state directory resumes: it refuses a replay of the
 * old plan (STALE_SEQ), takes the vehicle back and flies on.
 *
 * Real time is the point here (a process killed while another keeps flying), so the SITL runs on a
 * wall clock (1×) and the bounds are built to survive a saturated machine: the order of events and
 * the safety properties are asserted tightly (the failsafe fires after the kill, the vehicle stays
 * airborne, the replay is refused, the flight resumes), upper bounds on real-time waits generously —
 * a child agent loading under tsx on a loaded 2-core machine takes tens of seconds to start — and a
 * timed-out wait prints the agent's log.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ScaledClock } from '../../core/clock.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { parseState } from '../../apps/agent/state/index.ts';
import { NackReason } from '../../proto/index.ts';
import { startSitl } from '../../sim/autopilot/index.ts';
import { profileJson } from '../../apps/agent/profile/index.ts';
import { defaultScenario, uavProfile } from '../../sim/world/index.ts';
import { MiniController, until } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// 1×: the failsafe timing below is in SITL time, and every wall-clock stall of a loaded machine is
// multiplied by a speed-up (a stall of the agent's 10 Hz setpoint stream beyond PX4's 1 s loss
// timeout would fire the failsafe before the kill).
const SPEED = 1;
/** Upper bound for a child agent to start (or restart) and report, wall ms: generous, see above. */
const START_MS = 180_000;

/** Runs an agent with its locks in `lockDir` (the test's own: two suites on one machine must not share uav-1.lock). */
function runAgent(args: string[], logFile: string, lockDir: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, [path.join(ROOT, 'bin/uavmec.mjs'), 'agent', ...args], { stdio: ['ignore', out, out], env: { ...process.env, LOG_LEVEL: 'info', RUNTIME_DIRECTORY: lockDir } });
}

for (const flavour of ['px4', 'ardupilot'] as const) {
  test(`SIGKILL of the agent (${flavour}): the SITL fails safe within its timeout; a restarted agent resumes`, { timeout: 600_000 }, async (t) => {
    const scenario = defaultScenario({ uavs: 1, users: 0, slots: 10, seed: 5 });
    const anchorMs = Date.now();
    const clock = new ScaledClock(SPEED, undefined, anchorMs);
    const broker = await startEmbeddedBroker();
    const sitl = await startSitl({ vehicles: 1, flavour, clock, home: scenario.origin, basePort: 0, batteryJ: scenario.uav.batteryJ });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-agent-kill-'));
    const stateDir = path.join(dir, 'state');
    const log = path.join(dir, 'agent.log');
    const profile = path.join(dir, 'uav-1.profile.json');
    fs.writeFileSync(profile, profileJson(uavProfile(scenario, 1, clock.nowUs())));
    const args = ['--uav', '1', '--profile', profile, '--autopilot', sitl.vehicles[0]!.url, '--broker', broker.url, '--state-dir', stateDir, '--speed', String(SPEED), '--anchor', String(anchorMs)];
    const ctl = await MiniController.start(broker.url, clock, 1, scenario.slotS);
    const truth = () => sitl.vehicles[0]!.truth();
    const guided = flavour === 'px4' ? 'OFFBOARD' : 'GUIDED';
    let child = runAgent(args, log, path.join(dir, 'locks'));
    const wait = async (cond: () => boolean, what: string, ms: number) => {
      try {
        await until(cond, what, ms);
      } catch (e) {
        const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
        throw new Error(`${(e as Error).message}; agent log:\n${tail}`);
      }
    };
    try {
      await wait(() => ctl.events.some((e) => e.code === 'failsafe.nominal') || fs.readFileSync(log, 'utf8').includes('agent running'), 'agent up', START_MS);
      const seq = await ctl.plan(ctl.goto(40, 40, scenario.cruiseAltM, 4));
      await wait(() => ctl.acks.some((a) => a.seq === seq && a.accepted), 'plan acked', 60_000);
      await wait(() => truth().global.relAltM > scenario.cruiseAltM * 0.8 && truth().mode === guided, 'airborne in the setpoint mode', 120_000);
      await wait(() => Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y) > 2, 'flying the plan', 30_000);
      const speedBefore = Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y);

      const killUs = clock.nowUs();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // What fires, and within which timeout (SITL time).
      let firedUs: number;
      let limitS: number;
      if (flavour === 'px4') {
        await wait(() => truth().failsafes.includes('offboard'), 'PX4 offboard-loss failsafe', 20_000);
        firedUs = truth().tUs;
        limitS = 1; // COM_OF_LOSS_T
        assert.equal(truth().mode, 'AUTO.LOITER', 'PX4 holds after offboard loss');
      } else {
        await wait(() => Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y) < 0.2, 'ArduCopter brakes to a stop', 20_000);
        firedUs = truth().tUs;
        limitS = 3 + speedBefore / 2.5 + 1; // 3 s velocity-target timeout + braking at ≥ 2.5 m/s² + margin
        assert.equal(truth().mode, 'GUIDED');
      }
      const afterS = (firedUs - killUs) / 1e6;
      t.diagnostic(`${flavour}: failsafe ${afterS.toFixed(2)} s (SITL time) after SIGKILL, limit ${limitS.toFixed(1)} s`);
      // Fired after the kill (tight), within its timeout (the SITL steps at 50 Hz; the test polls every
      // 20 ms of wall time, which a saturated machine can stretch: 1 s of slack).
      assert.ok(afterS > 0, `failsafe after the kill (${afterS.toFixed(2)} s)`);
      assert.ok(afterS <= limitS + 1, `failsafe within its timeout (${afterS.toFixed(2)} s)`);
      assert.ok(truth().armed && truth().global.relAltM > 5, 'still airborne: the autopilot, not a crash, took over');

      const saved = parseState(fs.readFileSync(path.join(stateDir, 'agent-state.json'), 'utf8'), 1);
      assert.ok(saved.ok && saved.value.lastSeq === seq, 'the accepted plan was persisted');

      // Restart on the same state: resumes in the air, refuses a replay, flies on.
      const posAtRestart = truth().positionNedM;
      child = runAgent(args, log, path.join(dir, 'locks'));
      await wait(() => ctl.events.some((e) => e.code === 'agent.resumed'), 'agent.resumed event', START_MS);
      await ctl.plan(ctl.goto(0, 0, scenario.cruiseAltM), { seq });
      await wait(() => ctl.acks.some((a) => a.seq === seq && !a.accepted), 'replay nacked', 20_000);
      assert.equal(ctl.acks.find((a) => a.seq === seq && !a.accepted)!.reason, NackReason.NACK_REASON_STALE_SEQ);
      await wait(() => truth().mode === guided && Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y) > 1, 'flying the persisted plan again', 60_000);
      await clock.sleep(2000);
      const p = truth().positionNedM;
      const target = { n: 40, e: 40 };
      const dBefore = Math.hypot(target.n - posAtRestart.x, target.e - posAtRestart.y);
      const dNow = Math.hypot(target.n - p.x, target.e - p.y);
      t.diagnostic(`resumed: ${dBefore.toFixed(1)} m → ${dNow.toFixed(1)} m from the target`);
      assert.ok(dNow < dBefore - 3, 'closer to the persisted plan target after the restart');
    } finally {
      child.kill('SIGKILL');
      await ctl.close().catch(() => undefined);
      await sitl.stop();
      await broker.close();
      if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
      else t.diagnostic(`kept ${dir}`);
    }
  });
}
