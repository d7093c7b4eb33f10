/**
 * A fleet of SITL multicopters in one process, one MAVLink UDP endpoint each, driven by one
 * clock timer. Numbering:
 * - 'px4' (PX4 SITL): instance i → sysid i+1, UDP port basePort+i (default basePort 14540, the
 *   port PX4's offboard/API link uses; an agent connects with `udpout://127.0.0.1:14540+i`).
 * - 'ardupilot' (sim_vehicle.py -I i): sysid i+1, port basePort+10·i (default basePort 5760;
 *   ArduPilot serves TCP there, this SITL serves UDP).
 * `basePort: 0` lets the OS pick free ports (parallel tests). Beyond 250 vehicles (8-bit system ids)
 * the fleet spans several links of SYSIDS_PER_LINK vehicles: vehicle i has sysid 1 + i mod 250 on
 * link ⌊i / 250⌋, and with `gcsUrl` link L pushes to the GCS port + L (a GCS tells vehicles apart
 * by link and system id, as MAVLink routers do). Vehicle i's home is the fleet home
 * moved `i·spacingM` east, like PX4's multi-vehicle spawn line, or by `homeOffsetsM[i]`. With `gcsUrl`
 * (`udpout://127.0.0.1:14550`) every vehicle also pushes its traffic to that GCS (QGC listens
 * there) and answers it.
 */
import path from 'node:path';
import { ScaledClock, type Clock, type Timer } from '../../core/clock.ts';
import { parseTransportUrl } from '../../firmware-bridge/transport/index.ts';
import { nedToGeo, type GeoPoint } from '../../core/geo.ts';
import { defaultParams, type AutopilotFlavour } from './core/params.ts';
import { SitlServer, type ServerStats, type VehicleTruth } from './server/index.ts';
import type { SitlSigningOptions } from './server/signing.ts';

/** Vehicles per MAVLink link: system ids 1–250 (0 is broadcast, 251–255 are ground stations). */
export const SYSIDS_PER_LINK = 250;
/** Largest fleet `startSitl` accepts (several links, see above). */
export const MAX_VEHICLES = 10_000;

export interface SitlFleetOptions {
  vehicles: number;
  /** Index of this fleet's first vehicle in a larger fleet split over worker threads (default 0). */
  firstIndex?: number;
  flavour: AutopilotFlavour;
  numbering?: AutopilotFlavour;
  clock: Clock;
  home: GeoPoint;
  /** East spacing of the vehicles' homes, m (default 5). */
  spacingM?: number;
  /** Vehicle i's home offset from `home`, m (instead of the spawn line); one entry per vehicle. */
  homeOffsetsM?: { northM: number; eastM: number }[];
  /** First port; 0 = free ports. Default per numbering (14540 / 5760). */
  basePort?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** A GCS to push to, `udpout://host:port` or `udp://host:port`. */
  gcsUrl?: string;
  /** Directory for one `sitl-<sysid>.tlog` per vehicle. */
  tlogDir?: string;
  /** Parameter overrides (firmware names), applied to every vehicle. */
  params?: Record<string, number>;
  /** Battery capacity, J (sets BATT_CAPACITY / BAT1_CAPACITY from the pack voltage). */
  batteryJ?: number;
  physicsHz?: number;
  /** MAVLink 2 signing for every vehicle (server/signing.ts); `keyFor(sysid)` gives per-vehicle initial keys. */
  signing?: SitlSigningOptions & { keyFor?: (sysid: number) => Buffer | undefined };
}

export interface SitlVehicle {
  sysid: number;
  port: number;
  /** What an agent connects to (`udpout://127.0.0.1:<port>`). */
  url: string;
  home: GeoPoint;
  truth(): VehicleTruth;
  /** Power of the on-board computer, W (drains the battery). */
  setComputePowerW(w: number): void;
  stats(): ServerStats;
  stop(): Promise<void>;
}

export interface SitlFleet {
  vehicles: SitlVehicle[];
  /** Loop ticks so far (all vehicles are ticked together). */
  ticks(): number;
  stop(): Promise<void>;
}

export class SitlStartError extends Error {
  override name = 'SitlStartError';
}

function signingFor(s: NonNullable<SitlFleetOptions['signing']>, sysid: number): SitlSigningOptions {
  const key = s.keyFor?.(sysid) ?? s.key;
  return { ...(key ? { key } : {}), ...(s.unsigned ? { unsigned: s.unsigned } : {}), ...(s.allowSetup ? { allowSetup: s.allowSetup } : {}) };
}

/** Battery capacity parameter (mAh) that yields `joules` for the flavour's default pack voltage. */
export function capacityParams(flavour: AutopilotFlavour, joules: number, params: Record<string, number> = {}): Record<string, number> {
  const volts = flavour === 'px4' ? (params['BAT1_N_CELLS'] ?? 6) * 3.7 : (params['SIM_BATT_VOLTAGE'] ?? 22.2);
  const mAh = (joules / volts / 3600) * 1000;
  return flavour === 'px4' ? { BAT1_CAPACITY: mAh } : { BATT_CAPACITY: Math.round(mAh) };
}

/**
 * The fleet's loop timer. On a wall-anchored clock (`ScaledClock`), Node's `setInterval` re-arms
 * from when each callback ran, so every tick's lateness adds up (a 50 Hz loop ran at 47 Hz on an
 * idle machine, issue 20); here each tick is armed for its own due time on the period grid, and a
 * tick whose slot has passed is skipped, not made up in a burst. Clocks that move only when told
 * (`ManualClock`, `VirtualClock`) fire timers on time and keep their interval timer.
 */
export function loopTimer(clock: Clock, fn: () => void, periodMs: number): Timer {
  if (!(clock instanceof ScaledClock)) return clock.setInterval(fn, periodMs);
  const periodUs = periodMs * 1000;
  let due = clock.nowUs() + periodUs;
  let cancelled = false;
  let t: Timer;
  const run = () => {
    if (cancelled) return;
    fn();
    const now = clock.nowUs();
    due += periodUs;
    if (due <= now) due += Math.ceil((now - due) / periodUs) * periodUs;
    t = clock.setTimeout(run, (due - now) / 1000);
  };
  t = clock.setTimeout(run, periodMs);
  return {
    cancel: () => {
      cancelled = true;
      t.cancel();
    },
  };
}

/** Starts the fleet; throws `SitlStartError` (after closing what was opened) if a port cannot be bound. */
export async function startSitl(o: SitlFleetOptions): Promise<SitlFleet> {
  const first = o.firstIndex ?? 0;
  if (!Number.isInteger(o.vehicles) || o.vehicles < 1 || first + o.vehicles > MAX_VEHICLES) throw new RangeError(`vehicles must be 1–${MAX_VEHICLES}, got ${o.vehicles}`);
  if (o.homeOffsetsM && o.homeOffsetsM.length !== o.vehicles) throw new RangeError(`homeOffsetsM has ${o.homeOffsetsM.length} entries for ${o.vehicles} vehicles`);
  const numbering = o.numbering ?? o.flavour;
  const base = o.basePort ?? (numbering === 'px4' ? 14540 : 5760);
  const stride = numbering === 'px4' ? 1 : 10;
  let gcs: { address: string; port: number } | undefined;
  if (o.gcsUrl) {
    const g = parseTransportUrl(o.gcsUrl);
    if (!g.ok || !('host' in g.value)) throw new SitlStartError(`bad --gcs URL ${o.gcsUrl}: ${g.ok ? 'needs host:port' : g.detail}`);
    gcs = { address: g.value.host, port: g.value.port };
  }
  const params = { ...o.params, ...(o.batteryJ !== undefined ? capacityParams(o.flavour, o.batteryJ, o.params) : {}) };
  try {
    defaultParams(o.flavour, params);
  } catch (e) {
    throw new SitlStartError(`bad parameters: ${(e as Error).message}`);
  }
  const servers: { s: SitlServer; home: GeoPoint }[] = [];
  const stopAll = async () => void (await Promise.all(servers.map((x) => x.s.stop())));
  for (let j = 0; j < o.vehicles; j++) {
    const i = first + j;
    const sysid = 1 + (i % SYSIDS_PER_LINK);
    const link = Math.floor(i / SYSIDS_PER_LINK);
    const gcsPeers = gcs ? [{ kind: 'udp' as const, address: gcs.address, port: gcs.port + link }] : [];
    const off = o.homeOffsetsM?.[j];
    const home = nedToGeo(o.home, off ? { x: off.northM, y: off.eastM, z: 0 } : { x: 0, y: i * (o.spacingM ?? 5), z: 0 });
    const r = await SitlServer.start({
      flavour: o.flavour, clock: o.clock, home, sysid, port: base === 0 ? 0 : base + stride * i, params, gcsPeers, autoTick: false,
      ...(o.host ? { host: o.host } : {}),
      ...(o.signing ? { signing: signingFor(o.signing, sysid) } : {}),
      ...(o.tlogDir ? { tlogPath: path.join(o.tlogDir, `sitl-${sysid}.tlog`) } : {}),
    });
    if (!r.ok) {
      await stopAll();
      throw new SitlStartError(`vehicle ${sysid}: ${r.detail ?? r.reason}`);
    }
    servers.push({ s: r.value, home });
  }
  let ticks = 0;
  const timer = loopTimer(o.clock, () => {
    ticks++;
    for (const x of servers) x.s.tick();
  }, 1000 / (o.physicsHz ?? 50));
  let stopped = false;
  return {
    vehicles: servers.map(({ s, home }) => ({
      sysid: s.sysid, port: s.port, url: s.url, home,
      truth: () => s.truth(),
      setComputePowerW: (w: number) => s.setComputePowerW(w),
      stats: () => s.stats(),
      stop: () => s.stop(),
    })),
    ticks: () => ticks,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      timer.cancel();
      await stopAll();
    },
  };
}
