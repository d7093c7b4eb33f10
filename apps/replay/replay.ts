/**
 * `replayRun`: a recorded run through the pure re-planner — the byte-identity check with the
 * recorded planner, and, with another planner, the what-if metrics of both side by side. Dag
 * runs (SPEC §5.3) have pool rounds besides slot plans: both are checked; a pool planner
 * (`POOL_REPLAY_PLANNERS`) re-plans the rounds, a slot planner the slots.
 */
import { checkPlans, checkRounds, type CheckResult } from './check.ts';
import { evaluateSlot, totalsOf, type SlotMetricsPredicted } from './evaluate.ts';
import { replayInputs } from './inputs.ts';
import { FAILOVER_WHY, severalControllers, type RunFolder } from './recording.ts';
import { coreStreams, replayCores, type CoresReplay } from './cores.ts';
import { formatCores } from './cores-format.ts';
import { configFromSummary, replan, type ReplayConfig, type ReplayPlanner } from './replan.ts';
import { replayThroughCore } from './core-replay.ts';
import { poolConfigFromSummary, POOL_REPLAY_PLANNERS, RECORDED_POOL_PLANNER, replanPools, type PoolReplayPlanner } from './pool-replan.ts';
import { evaluateRound, measuredRound, type PoolRoundMeasured, type PoolRoundPredicted } from './pool-evaluate.ts';
import { formatPools } from './pool-format.ts';

export interface PoolReplayReport {
  recordedPlanner: PoolReplayPlanner;
  rounds: number;
  check: CheckResult;
  /** Present when a pool what-if planner was given. `measured[i]`: round i as it flew (recorded planner). */
  whatIf?: { planner: PoolReplayPlanner; recorded: PoolRoundPredicted[]; alternative: PoolRoundPredicted[]; measured: (PoolRoundMeasured | undefined)[] };
}

export interface ReplayReport {
  recordedPlanner: string;
  slots: number;
  check: CheckResult;
  /** Present when a what-if planner was given. */
  whatIf?: { planner: ReplayPlanner; recorded: SlotMetricsPredicted[]; alternative: SlotMetricsPredicted[] };
  /** Dag runs: the pool rounds' check (and what-if). */
  pools?: PoolReplayReport;
  /** Replayed through the controller's planning core from its recorded PlanningInputs (else inferred from receive times). */
  throughCore?: boolean;
  /** Several planning cores planned the run (shards, leader tenures): each replayed from its own inputs (cores.ts). */
  cores?: Omit<CoresReplay, 'check' | 'pools'>;
}

export const isPoolPlanner = (p: string): p is PoolReplayPlanner => (POOL_REPLAY_PLANNERS as readonly string[]).includes(p);

/** Whether any plan of the report differs from the recording. */
export const diverged = (r: ReplayReport): boolean => r.check.first !== undefined || r.pools?.check.first !== undefined || (r.cores?.conflicts.length ?? 0) > 0;

/**
 * Recordings with the controller's PlanningInputs (every run since the planning core) replay
 * through that core (core-replay.ts); runs several cores planned (shards, failover) core by core
 * (cores.ts), unless their PlanningInputs do not name their cores (recorded before core_id:
 * refused, `FAILOVER_WHY`); older recordings through the inference of inputs.ts. Throws with one
 * line when the run cannot be replayed (a message a core consumed missing from the recording, a
 * what-if planner on a run several cores planned).
 */
export function replayRun(run: RunFolder, planner?: ReplayPlanner | PoolReplayPlanner): ReplayReport {
  const cfg = configFromSummary(run.summary);
  if (run.recording.planningInputs.length > 0) {
    const streams = coreStreams(run.recording);
    if (!streams.ok) throw new Error(`${run.dir}: ${streams.detail ?? streams.reason}`);
    const named = streams.value.some((s) => s.id !== '');
    if (named) return replaySeveral(run, cfg, streams.value, planner);
  }
  const several = severalControllers(run.recording);
  if (several) throw new Error(`${run.dir} holds plans of ${several}: ${FAILOVER_WHY}`);
  if (run.recording.planningInputs.length > 0) return replayWithCore(run, cfg, planner);
  const all = replayInputs(run.recording, cfg.slotS);
  const inputs = all.slots;
  const same = replan(inputs, cfg, cfg.algo);
  const rep: ReplayReport = { recordedPlanner: cfg.algo, slots: inputs.length, check: checkPlans(inputs, same) };
  const poolCfg = poolConfigFromSummary(run.summary);
  if (poolCfg || all.pools.length > 0) {
    if (!poolCfg) throw new Error('the recording has pool rounds but its scenario is not in dag mode');
    const rounds = replanPools(all.pools, poolCfg);
    const check = checkRounds(all.pools.map((inp, i) => ({ slot: inp.slot, recorded: inp.recorded, replayed: rounds[i]!.out.ok ? rounds[i]!.out.value.plans : new Map() })), 'pool');
    rep.pools = { recordedPlanner: RECORDED_POOL_PLANNER, rounds: all.pools.length, check };
    if (planner && isPoolPlanner(planner)) rep.pools.whatIf = poolWhatIf(run, all.pools, poolCfg, planner, rounds);
  }
  if (planner && !isPoolPlanner(planner)) rep.whatIf = slotWhatIf(inputs, cfg, planner, same);
  return rep;
}

/** Each core (shard, leader tenure) from its own PlanningInputs; all plans checked together. */
function replaySeveral(run: RunFolder, cfg: ReplayConfig, streams: Parameters<typeof replayCores>[2], planner?: ReplayPlanner | PoolReplayPlanner): ReplayReport {
  if (planner) throw new Error(`${run.dir}: --planner re-plans one controller's slots; ${streams.length} planning cores (${streams.map((s) => s.id).join(', ')}) planned this run, so it is checked only (replay without --planner)`);
  const poolCfg = poolConfigFromSummary(run.summary);
  const r = replayCores(run.recording, { ...cfg, ...(poolCfg ? { pool: poolCfg } : {}) }, streams);
  if (!r.ok) throw new Error(`${run.dir}: ${r.detail ?? r.reason}`);
  const { check, pools, ...cores } = r.value;
  const slots = new Set(cores.cores.flatMap((c) => (c.slots ? Array.from({ length: c.slots[1] - c.slots[0] + 1 }, (_, i) => c.slots![0] + i) : []))).size;
  return {
    recordedPlanner: cfg.algo, slots, check, throughCore: true, cores,
    ...(pools.compared > 0 || poolCfg ? { pools: { recordedPlanner: RECORDED_POOL_PLANNER, rounds: pools.compared, check: pools } } : {}),
  };
}

function replayWithCore(run: RunFolder, cfg: ReplayConfig, planner?: ReplayPlanner | PoolReplayPlanner): ReplayReport {
  const poolCfg = poolConfigFromSummary(run.summary);
  const r = replayThroughCore(run.recording, { ...cfg, ...(poolCfg ? { pool: poolCfg } : {}) });
  if (!r.ok) throw new Error(`${run.dir}: ${r.detail ?? r.reason}`);
  const slots = r.value.steps.filter((s) => s.kind === 'slot');
  const rounds = r.value.steps.filter((s) => s.kind === 'pool');
  const rep: ReplayReport = { recordedPlanner: cfg.algo, slots: slots.length, check: checkRounds(slots, 'slot'), throughCore: true };
  if (rounds.length > 0 || poolCfg) {
    rep.pools = { recordedPlanner: RECORDED_POOL_PLANNER, rounds: rounds.length, check: checkRounds(rounds, 'pool') };
    if (planner && isPoolPlanner(planner)) {
      // Pool what-if planners take the rounds' inputs as inputs.ts rebuilds them, from what the core planned with.
      const all = replayInputs(run.recording, cfg.slotS, { stated: r.value.stated });
      rep.pools.whatIf = poolWhatIf(run, all.pools, poolCfg!, planner, replanPools(all.pools, poolCfg!));
    }
  }
  if (planner && !isPoolPlanner(planner)) rep.whatIf = slotWhatIf(r.value.slotInputs, cfg, planner, replan(r.value.slotInputs, cfg, cfg.algo));
  return rep;
}

type PoolInputs = ReturnType<typeof replayInputs>['pools'];
type SlotInputs = ReturnType<typeof replayInputs>['slots'];

/** What-if on the pool rounds: the recorded planner's rounds (`same`) against `planner`'s, and what was measured. */
function poolWhatIf(run: RunFolder, pools: PoolInputs, poolCfg: NonNullable<ReturnType<typeof poolConfigFromSummary>>, planner: PoolReplayPlanner, same: ReturnType<typeof replanPools>): NonNullable<ReplayReport['pools']>['whatIf'] {
  const alt = replanPools(pools, poolCfg, planner);
  return {
    planner,
    recorded: pools.map((inp, i) => evaluateRound(inp, same[i]!)),
    alternative: pools.map((inp, i) => evaluateRound(inp, alt[i]!)),
    measured: pools.map((inp) => measuredRound(inp, run.summary.pools ?? [], run.recording)),
  };
}

/** What-if on the slots: the recorded planner's plans (`same`) against `planner`'s, each evaluated on the slot's inputs. */
function slotWhatIf(inputs: SlotInputs, cfg: ReplayConfig, planner: ReplayPlanner, same: ReturnType<typeof replan>): ReplayReport['whatIf'] {
  const alt = replan(inputs, cfg, planner);
  return {
    planner,
    recorded: inputs.map((inp, i) => evaluateSlot(inp, same[i]!, cfg)),
    alternative: inputs.map((inp, i) => evaluateSlot(inp, alt[i]!, cfg)),
  };
}

const n2 = (v: number) => v.toFixed(2);

export function formatReplay(r: ReplayReport): string {
  const c = r.check;
  if (r.cores) return [...formatCores(r.cores, c, r.recordedPlanner), ...formatDivergence(c, 'slot'), ...(r.pools ? formatDivergence(r.pools.check, 'pool round') : [])].join('\n');
  const how = r.throughCore ? ' through the controller\'s planning core, from its recorded inputs' : ', inputs inferred from receive times (a recording without PlanningInputs)';
  const out = [`Replayed ${r.slots} slots with the recorded planner (${r.recordedPlanner})${how}: ${c.identical}/${c.compared} plans byte-identical.`];
  out.push(...formatDivergence(c, 'slot'));
  if (r.pools) out.push(...formatPools(r.pools, formatDivergence(r.pools.check, 'pool round')));
  if (r.whatIf) {
    const a = totalsOf(r.whatIf.recorded);
    const b = totalsOf(r.whatIf.alternative);
    const rows: [string, (t: typeof a) => string][] = [
      ['tasks', (t) => String(t.tasks)], ['offloaded', (t) => String(t.offloaded)], ['DOR', (t) => n2(t.dor)], ['energy (J)', (t) => n2(t.energyJ)],
      ['utility', (t) => n2(t.utility)], ['completions on time', (t) => String(t.onTime)], ['late', (t) => String(t.late)],
    ];
    const h = [r.recordedPlanner, r.whatIf.planner];
    out.push('', `What-if (predicted by each planner's model, same recorded inputs per slot):`);
    out.push(`${'metric'.padEnd(20)}  ${h[0]!.padStart(12)}  ${h[1]!.padStart(12)}`);
    for (const [k, g] of rows) out.push(`${k.padEnd(20)}  ${g(a).padStart(12)}  ${g(b).padStart(12)}`);
    out.push('', 'slot  ' + `DOR ${h[0]}`.padStart(16) + `DOR ${h[1]}`.padStart(16) + '  late ' + h[0] + '/' + h[1]);
    r.whatIf.recorded.forEach((m, i) => {
      const x = r.whatIf!.alternative[i]!;
      out.push(`${String(m.slot).padStart(4)}  ${n2(m.dor).padStart(16)}${n2(x.dor).padStart(16)}  ${m.late}/${x.late}`);
    });
  }
  return out.join('\n');
}

export function formatDivergence(c: CheckResult, what: string): string[] {
  if (!c.first) return [];
  const d = c.first;
  return [
    `First divergence: ${what} ${d.slot}, UAV ${d.uavId}, byte ${d.byteOffset}, field ${d.field}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}.`,
    `Divergent plans: ${c.divergent.length} in ${what}s ${[...new Set(c.divergent.map((x) => x.slot))].join(', ')}.`,
  ];
}
