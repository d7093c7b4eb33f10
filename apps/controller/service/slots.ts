/**
 * The slot loop: slot k starts (the core's slot start, FleetState, lease), its collection window
 * ends and the core plans it (S0 with a warm start first runs the generative model; S2's driver
 * plans its own slots; a shard first hands over UAVs leaving its region), then slot k+1 — until
 * the last, when the fleet is sent home and the books close after the drain.
 */
import type { ShardLink } from '../shard/index.ts';
import type { S2Driver } from '../s2/index.ts';
import { buildS0Input, type WarmStartModel } from '../s0/index.ts';
import { nowUs, type ControllerCtx } from './context.ts';
import { publishFleet, renewLease } from './fleet.ts';
import { apply, sync, twin } from './inbox.ts';
import { publishPlan } from './publish.ts';

export function runSlot(c: ControllerCtx, k: number, t0Us: number): void {
  const { cfg, clock } = c;
  if (c.stopped) return;
  if (k >= cfg.slots) return finish(c);
  if (k === 0) c.missionStartUs = t0Us;
  apply(c, { kind: 'slotStart', slot: k, nowUs: nowUs(c) });
  cfg.shard?.slotStarted(k, t0Us);
  cfg.shard?.publishPicture();
  publishFleet(c, k);
  renewLease(c, false);
  const collectMs = (cfg.collectFraction ?? 0.25) * cfg.slotS * 1000;
  c.timer = clock.setTimeout(() => {
    void planSlot(c, k);
    const nextUs = t0Us + (k + 1) * cfg.slotS * 1e6;
    c.timer = clock.setTimeout(() => runSlot(c, k + 1, t0Us), Math.max(0, (nextUs - clock.nowUs()) / 1000));
  }, collectMs);
}

/**
 * The end of slot k's collection window: the core plans it. S0 with a warm start first runs the
 * generative model (onnxruntime, clock held) and the core plans with its proposal.
 */
export async function planSlot(c: ControllerCtx, k: number): Promise<void> {
  if (c.cfg.video) return videoSlot(c, k, c.cfg.video);
  // Awaited only when there is a warm start: otherwise the slot is planned synchronously, in the timer's turn.
  const s0 = c.cfg.s0;
  let warm: Map<number, number[][]> | undefined;
  if (s0?.warmStart && c.core.s0) {
    warm = await warmStart(c, k, s0.warmStart, s0.hold);
    if (c.stopped) return;
  }
  const transits = c.cfg.shard ? shardTransits(c, c.cfg.shard, k) : [];
  apply(c, { kind: 'plan', slot: k, nowUs: nowUs(c), ...(warm ? { s0Warm: warm } : {}) });
  for (const t of transits) {
    c.core.ledger.planSent(t.uavId, Number(t.plan.plan_seq), k);
    publishPlan(c, t.uavId, t.plan, `transit plan for UAV ${t.uavId}`);
  }
  c.cfg.shard?.publishPicture();
  renewLease(c, true);
}

/** S0's generative proposal for slot k (onnxruntime, clock held); undefined if it fails (singletons then). */
function warmStart(c: ControllerCtx, k: number, model: WarmStartModel, hold = <T>(p: Promise<T>) => p): Promise<Map<number, number[][]> | undefined> {
  sync(c);
  const s0 = c.core.s0!;
  const inp = buildS0Input(s0.cfg, k, c.clock.nowUs(), twin(c), s0.requests, s0.ratios());
  return hold(model.propose(inp)).catch((e: unknown) => {
    c.log.warn({ err: e, slot: k }, 'warm start failed: forming coalitions from singletons');
    return undefined;
  });
}

/** Sharded: the region's demand for the balance, and the plans of UAVs flying to another region (dropped from the core first). */
function shardTransits(c: ControllerCtx, shard: ShardLink, k: number): ReturnType<ShardLink['beforePlan']> {
  sync(c);
  const { cfg } = c;
  const xy = [...c.core.pending.values()].map((t) => [t.pos[0], t.pos[1]] as [number, number]);
  return shard.beforePlan(k, xy, { nowUs: nowUs(c), slotS: cfg.slotS, validSlots: cfg.planValiditySlots ?? 2, altM: cfg.cruiseAltM, speedMS: cfg.speedMS });
}

/** S2: the driver plans the slot (async: ONNX inference, holding a lockstep clock), the service sends and tracks the UAV plans. */
function videoSlot(c: ControllerCtx, k: number, video: S2Driver): void {
  sync(c);
  const m = c.core.ledger.slots[k]!;
  const planning = video.planSlot(k, c.clock.nowUs());
  (c.clock.activity ? c.clock.activity.during(planning, 's2-plan') : planning).then((plans) => {
    if (c.stopped) return;
    for (const [uavId, plan] of plans) {
      c.core.ledger.planSent(uavId, plan.plan_seq as number, k);
      publishPlan(c, uavId, plan, `S2 plan for UAV ${uavId}`);
    }
    m.servingUavs = [...plans.values()].filter((p) => (p.video?.shares?.length ?? 0) > 0).length;
    for (const u of twin(c).values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
    c.hooks.onSlot?.(m, k);
  }).catch((e: unknown) => c.log.error({ err: e, slot: k }, 'S2 slot not planned'));
}

/** After the last slot: the core's final plans (home), the lease closed, then the drain and `finished`. */
function finish(c: ControllerCtx): void {
  const { cfg } = c;
  cfg.video?.endSlots(nowUs(c));
  apply(c, { kind: 'finish', nowUs: nowUs(c) });
  for (const [uavId, plan] of cfg.shard?.finishPlans(nowUs(c), cfg.slots, cfg.slotS) ?? []) publishPlan(c, uavId, plan, `final plan for UAV ${uavId}`);
  cfg.leadership?.finish({ slot: cfg.slots - 1, slotPlanned: true, missionStarted: true, missionStartUs: c.missionStartUs, planSeq: c.planSeqMax });
  const drainMs = (cfg.drainSlots ?? 1) * cfg.slotS * 1000;
  const drained = () => {
    apply(c, { kind: 'close', nowUs: nowUs(c) });
    cfg.video?.close();
    c.stopped = true;
    c.fleetTimer?.cancel();
    c.resolveFinished();
  };
  // S2: the books close once every planned part has come back (or `drainSlots` have passed).
  if (cfg.video) void cfg.video.whenDone(c.clock.nowUs() + drainMs * 1000).then(drained);
  else c.timer = c.clock.setTimeout(drained, drainMs);
}
