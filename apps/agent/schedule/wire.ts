/**
 * Wiring of the schedule driver into an agent: announced results and UAV-to-UAV transfer times
 * from the fleet state (SPEC §5.3: output bits over S1's LoS rate `uavRateBps` at the 3-D distance
 * between this UAV and the source UAV as last reported), progress into the persisted state.
 */
import type { FleetState, MessageInput, TaskCompletion } from '../../../proto/index.ts';
import type { Clock } from '../../../core/clock.ts';
import { s1UavUavRate } from '../../../core/models/channel.ts';
import type { Executor } from '../executor/index.ts';
import { memberPos } from '../frames.ts';
import { ScheduleDriver } from './driver.ts';

type P3 = [number, number, number];

/**
 * The S1 UAV–UAV link of the computing power pool (SPEC §3 S1, §5.3), from the UAV's profile
 * (radio.pool_*): the same numbers the controller's pool engine plans with.
 */
export interface UavLinkParams {
  bandwidthHz: number;
  txPowerW: number;
  /** Reference gain h0 at 1 m, linear. */
  refGain: number;
  /** Path-loss exponent α. */
  pathLossExponent: number;
  noiseW: number;
}

/** S1's UAV–UAV LoS rate `B log2(1 + P h0 l^(−α) / σ²)` at distance `d` (≥ 1 m, as the engine). */
export function uavLinkRateBps(p: UavLinkParams, d: number): number {
  return s1UavUavRate(p.bandwidthHz, p.txPowerW, p.refGain, p.pathLossExponent, Math.max(1, d), p.noiseW);
}

/** FleetState.results_ready as a map key → completion µs. */
export function announcedResults(fleet: FleetState | undefined): Map<string, number> {
  const m = new Map<string, number>();
  fleet?.results_ready.forEach((k, i) => m.set(k, fleet.results_ready_t_us[i] ?? 0));
  return m;
}

/** Transfer time of `bits` between two positions over the UAV–UAV link, s. */
export function uavTransferS(params: UavLinkParams, from: P3, to: P3, bits: number): number {
  return bits > 0 ? bits / uavLinkRateBps(params, Math.hypot(from[0] - to[0], from[1] - to[1], from[2] - to[2])) : 0;
}

export interface ScheduleWiring {
  clock: Clock;
  executor: Executor;
  uavId: number;
  kappa: number;
  link: UavLinkParams;
  complete(c: MessageInput<TaskCompletion>): void;
  fleet(): FleetState | undefined;
  ownPos(): P3 | undefined;
  onProgress(planSeq: number, done: ReadonlyMap<string, number>): void;
}

export function createScheduleDriver(w: ScheduleWiring): ScheduleDriver {
  const params = w.link;
  return new ScheduleDriver(
    {
      clock: w.clock,
      executor: w.executor,
      complete: (c) => w.complete(c),
      ownPos: () => w.ownPos(),
      remoteDone: () => announcedResults(w.fleet()),
      transferS: (fromUav, bits) => {
        const own = w.ownPos();
        const src = memberPos(w.fleet(), fromUav);
        return own && src ? uavTransferS(params, src, own, bits) : undefined;
      },
      onProgress: (seq, done) => w.onProgress(seq, done),
    },
    { uavId: w.uavId, kappa: w.kappa },
  );
}
