/**
 * One worker thread of `startSitlWorkers` (workers.ts): runs its slice of the fleet with
 * `startSitl` on its own ScaledClock, publishes its tick count into the shared counters, and stops
 * its vehicles when told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ScaledClock } from '../../core/clock.ts';
import { startSitl, SYSIDS_PER_LINK } from './fleet.ts';
import type { WorkerSlice } from './workers.ts';

const slice = workerData as WorkerSlice;
const counters = new Int32Array(slice.ticks);
const clock = new ScaledClock(slice.scale, slice.simUs + (Date.now() - slice.sentAtMs) * 1000 * slice.scale);

try {
  const fleet = await startSitl({ ...slice.options, clock, vehicles: slice.vehicles, firstIndex: slice.firstIndex });
  const publish = setInterval(() => Atomics.store(counters, slice.slot, fleet.ticks()), 50);
  parentPort!.on('message', (m) => {
    if (m !== 'stop') return;
    clearInterval(publish);
    void fleet.stop().then(() => process.exit(0));
  });
  parentPort!.postMessage({
    ok: true,
    vehicles: fleet.vehicles.map((v, j) => ({ sysid: v.sysid, link: Math.floor((slice.firstIndex + j) / SYSIDS_PER_LINK), port: v.port, url: v.url, home: v.home })),
  });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: (e as Error).message });
}
