/**
 * One mission, stage by stage: the run folder and clock (context.ts), the env predictions
 * (predict.ts), the broker (broker.ts), the recording (record.ts), the controller (controller.ts),
 * the SITL fleet and agents (fleet.ts), the simulated users (world.ts); then `onReady`, the slots,
 * the landing, and the summary (summarize.ts). Whatever happens, the cleanup list runs in reverse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeReport } from '../../report/write.ts';
import type { MissionSummary } from '../summary.ts';
import { openBroker, type MissionBroker } from './broker.ts';
import { setupError } from './checks.ts';
import { missionContext, openRun, runCleanup, type MissionCtx } from './context.ts';
import { startGround } from './controller.ts';
import { startFleet, type MissionFleet } from './fleet.ts';
import type { MissionOptions, MissionReadyContext } from './options.ts';
import { s0LandTimeoutS } from '../s0.ts';
import { predict } from './predict.ts';
import { startRecording } from './record.ts';
import { determinism, summarize } from './summarize.ts';
import { startWorld } from './world.ts';

export async function fly(o: MissionOptions): Promise<MissionSummary> {
  const { log, wall0 } = openRun(o);
  const bad = setupError(o);
  if (bad) throw new Error(bad);
  const c = missionContext(o, log, wall0);
  try {
    const predictions = await predict(c);
    const broker = await openBroker(c);
    // Client ids never reach the recording; unique, so two missions can share a broker.
    const uniq = `${process.pid}-${Date.now().toString(36)}`;
    const recording = await startRecording(c, broker, uniq);
    const ground = await startGround(c, broker, uniq);
    const fleet = await startFleet(c, broker, uniq);
    const world = await startWorld(c, broker, uniq);
    for (const a of fleet.agents) a.service.publishTwin();
    await o.onReady?.(readyContext(c, broker, fleet));
    const { ctl, shards } = ground;
    if (shards) await shards.start();
    await ctl.start();
    await ctl.finished;
    await shards?.finished();
    c.phase('last slot done; UAVs returning to launch');
    await awaitLanding(c, fleet);
    await recording.stop();
    const summary = summarize(c, { broker, predictions, recording, ground, fleet, world }, determinism(c));
    fs.writeFileSync(path.join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
    const rep = writeReport([o.runDir]);
    c.phase(rep.ok ? `report ${rep.value}` : `report not written: ${rep.detail ?? rep.reason}`);
    return summary;
  } finally {
    await runCleanup(c);
    log.flush();
  }
}

function readyContext(c: MissionCtx, b: MissionBroker, f: MissionFleet): MissionReadyContext {
  const { secrets, hooks } = b;
  return {
    brokerUrl: b.url, clock: c.clock,
    killAgent: async (uavId) => {
      const a = f.agents.find((x) => x.service.uavId === uavId);
      if (a) await f.closeAgent(a);
    },
    ...(secrets ? { security: { credentials: (id: string) => secrets.credentials(id), ...(hooks ? { denials: hooks.denials } : {}) } } : {}),
  };
}

/** After the last slot: until every live agent's vehicle has disarmed, or the landing timeout (S0's, else 120 s). */
async function awaitLanding(c: MissionCtx, f: MissionFleet): Promise<void> {
  const { o, clock } = c;
  const { agents, killed } = f;
  const landBy = clock.nowUs() + (o.landTimeoutS ?? (o.s0 ? s0LandTimeoutS(o.s0) : 120)) * 1e6;
  while (clock.nowUs() < landBy && agents.some((a) => !killed.has(a) && a.vehicle.state().armed)) await clock.sleep(500);
  const landed = agents.filter((a) => !a.vehicle.state().armed).length;
  c.phase(`${landed}/${agents.length} UAVs landed and disarmed`);
}
