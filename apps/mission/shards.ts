/**
 * Sharded controllers in a mission (issue 19 §3, `uavmec mission --shards N`): N controller
 * services, each with its own bus connection and a ShardLink for one strip of the area
 * (apps/controller/shard). Shard 1 is the mission's controller (it keeps the slot clock and
 * publishes the merged FleetState); this module starts shards 2..N beside it and, at the end,
 * adds up their books into the mission's and says who owned which UAV and which handovers ran.
 */
import type { Clock } from '../../core/clock.ts';
import type { Scenario } from '../../sim/world/index.ts';
import { Bus } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import { ControllerService, type ControllerConfig } from '../controller/service/index.ts';
import { mergeLedgers, ShardLink, stripRegions, type Region } from '../controller/shard/index.ts';
import type { MetricsLedger } from '../controller/metrics.ts';
import type { UavTwin } from '../controller/twin/index.ts';

export interface ShardsSummary {
  count: number;
  shards: {
    shard: number;
    xEastM: [number, number];
    /** UAVs it owned at the end (in transit included). */
    ownedAtEnd: number[];
    tasksReleased: number;
    dor: number;
    plansSent: number;
  }[];
  /** Every handover, in time order: the UAV crossed from one region into the next. */
  handovers: { uavId: number; from: number; to: number; slot: number; tUs: number }[];
}

export interface RunningShards {
  coordinatorLink: ShardLink;
  start(): Promise<void>;
  finished(): Promise<void>;
  books(coordinator: ControllerService): MetricsLedger;
  twinOf(coordinator: ControllerService, uavId: number): UavTwin | undefined;
  summary(coordinator: ControllerService): ShardsSummary;
  close(): Promise<void>;
}

export async function startShards(o: {
  count: number; scenario: Scenario; url: string; uniq: string; clock: Clock; log: Logger; cfg: ControllerConfig; coordinatorBus: Bus;
}): Promise<RunningShards> {
  const regions: Region[] = stripRegions(o.scenario.areaM, o.count);
  const link = (bus: Bus, shard: number) => new ShardLink(bus, o.clock, { shard, regions, areaM: o.scenario.areaM }, o.log.child({ c: `shard-${shard}` }));
  const coordinatorLink = link(o.coordinatorBus, 1);
  const others: { bus: Bus; link: ShardLink; svc: ControllerService }[] = [];
  for (let k = 2; k <= o.count; k++) {
    const bus = await Bus.connect({ url: o.url, clientId: `uavmec-shard-${k}-${o.uniq}`, sender: 'controller', clock: o.clock, log: o.log.child({ c: `shard-${k}` }) });
    const l = link(bus, k);
    const svc = new ControllerService(bus, o.clock, { ...o.cfg, shard: l }, o.log.child({ c: `shard-${k}` }));
    // Subscribed before anyone else publishes (see ControllerService.attach).
    await svc.attach();
    others.push({ bus, link: l, svc });
  }
  const all = (c: ControllerService) => [{ svc: c, link: coordinatorLink }, ...others];
  return {
    coordinatorLink,
    async start() {
      for (const x of others) x.svc.start().catch((e: unknown) => o.log.error({ err: e, shard: x.link.shard }, 'shard failed'));
    },
    async finished() {
      await Promise.all(others.map((x) => x.svc.finished));
    },
    books: (c) => mergeLedgers(all(c).map((x) => x.svc.ledger)),
    twinOf: (c, id) => all(c).map((x) => x.svc.twin.get(id)).find((u) => u !== undefined),
    summary: (c) => ({
      count: o.count,
      shards: all(c).map((x) => {
        const t = x.svc.ledger.totals();
        const r = regions[x.link.shard - 1]!;
        return { shard: x.link.shard, xEastM: [r.xMinM, r.xMaxM], ownedAtEnd: [...x.link.state.owned].sort((a, b) => a - b), tasksReleased: t.released, dor: t.dor, plansSent: t.plansSent };
      }),
      handovers: all(c).flatMap((x) => x.link.state.sent.map((h) => ({ uavId: h.uavId, from: x.link.shard, to: h.to, slot: h.slot, tUs: h.tUs }))).sort((a, b) => a.tUs - b.tUs || a.uavId - b.uavId),
    }),
    async close() {
      for (const x of others) {
        x.svc.stop();
        await x.bus.close();
      }
    },
  };
}

/** The shards' part of the console summary. */
export function formatShards(s: ShardsSummary): string {
  const rows = s.shards.map((x) => `  shard ${x.shard} (x ${x.xEastM[0].toFixed(0)}–${x.xEastM[1].toFixed(0)} m): ${x.tasksReleased} tasks, DOR ${x.dor.toFixed(2)}, ${x.plansSent} plans, owns UAVs ${x.ownedAtEnd.join(', ') || 'none'} at the end`);
  const h = s.handovers.map((x) => `UAV ${x.uavId} ${x.from}→${x.to} @ slot ${x.slot}`).join('; ');
  return [`Shards: ${s.count}`, ...rows, `  handovers (${s.handovers.length}): ${h || 'none'}`].join('\n');
}
