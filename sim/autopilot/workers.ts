/**
 * A SITL fleet split over worker threads (issue 20): one event loop ticking every vehicle at 50 Hz
 * tops out near 400 vehicles and leaves the other cores idle. `startSitlWorkers` gives each of W
 * worker threads a contiguous slice of the fleet (`startSitl` with `firstIndex`, so system ids,
 * links, ports and homes are exactly those of one big fleet) on a wall-anchored `ScaledClock` of the
 * same speed. The main thread keeps only the vehicles' addresses and the workers' tick counters
 * (a SharedArrayBuffer); per-vehicle truth stays in the workers.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GeoPoint } from '../../core/geo.ts';
import type { SitlFleetOptions } from './fleet.ts';

/** What a worker is given: the fleet options that cross a thread (no clock, no functions). */
export interface WorkerSlice {
  options: Omit<SitlFleetOptions, 'clock' | 'signing' | 'vehicles' | 'firstIndex'>;
  firstIndex: number;
  vehicles: number;
  /** Clock speed-up and the simulated time (µs) at `sentAtMs` (Unix ms) on the main thread. */
  scale: number;
  simUs: number;
  sentAtMs: number;
  /** Int32 tick counters, one per worker. */
  ticks: SharedArrayBuffer;
  slot: number;
}

export interface WorkerVehicle {
  sysid: number;
  /** Link index (⌊vehicle index / 250⌋). */
  link: number;
  port: number;
  url: string;
  home: GeoPoint;
}

export interface SitlWorkerFleet {
  vehicles: WorkerVehicle[];
  workers: number;
  /** Loop ticks of the slowest worker. */
  ticks(): number;
  stop(): Promise<void>;
}

export interface SitlWorkerOptions extends Omit<SitlFleetOptions, 'clock' | 'signing' | 'firstIndex'> {
  workers: number;
  /** Simulated-time speed-up (default 1 = real time). */
  speed?: number;
}

/** The worker script next to this file, in the same form (.ts from a checkout, .js from a build). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `sitl-worker${path.extname(here)}`);
}

/**
 * A worker on `file`. From a TypeScript checkout (run through tsx) the worker registers tsx's
 * loader first: worker threads do not inherit the parent's `--import` hooks.
 */
function spawnWorker(file: string, slice: WorkerSlice): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { workerData: slice });
  const boot = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: slice });
}

/** Starts `workers` threads sharing the fleet; rejects (after stopping the others) if one fails. */
export async function startSitlWorkers(o: SitlWorkerOptions): Promise<SitlWorkerFleet> {
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64) throw new RangeError(`workers must be 1–64, got ${o.workers}`);
  if (o.homeOffsetsM) throw new RangeError('homeOffsetsM is not supported with worker threads');
  const { workers: w, speed, ...options } = o;
  const counters = new SharedArrayBuffer(4 * w);
  const ticks = new Int32Array(counters);
  const per = Math.ceil(o.vehicles / w);
  const threads: Worker[] = [];
  const started: Promise<WorkerVehicle[]>[] = [];
  for (let k = 0; k < w && k * per < o.vehicles; k++) {
    const slice: WorkerSlice = {
      options, firstIndex: k * per, vehicles: Math.min(per, o.vehicles - k * per), scale: speed ?? 1, simUs: Date.now() * 1000, sentAtMs: Date.now(), ticks: counters, slot: k,
    };
    const t = spawnWorker(workerFile(), slice);
    threads.push(t);
    started.push(
      new Promise((resolve, reject) => {
        t.once('message', (m: { ok: true; vehicles: WorkerVehicle[] } | { ok: false; error: string }) => (m.ok ? resolve(m.vehicles) : reject(new Error(m.error))));
        t.once('error', reject);
      }),
    );
  }
  const stop = async () => {
    await Promise.all(
      threads.map(
        (t) =>
          new Promise<void>((resolve) => {
            t.once('exit', () => resolve());
            t.postMessage('stop');
            setTimeout(() => void t.terminate(), 5000).unref();
          }),
      ),
    );
  };
  let vehicles: WorkerVehicle[];
  try {
    vehicles = (await Promise.all(started)).flat();
  } catch (e) {
    await Promise.all(threads.map((t) => t.terminate()));
    throw e;
  }
  const n = threads.length;
  return {
    vehicles,
    workers: n,
    ticks: () => {
      let min = Infinity;
      for (let k = 0; k < n; k++) min = Math.min(min, Atomics.load(ticks, k));
      return min;
    },
    stop,
  };
}
