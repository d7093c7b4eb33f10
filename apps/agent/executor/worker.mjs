// Worker thread of the WorkerExecutor (plain JavaScript: a thread that loaded a TypeScript
// loader would cost tens of MB of memory on the companion computer). Messages in:
//   { op: 'calibrate', ms }                     → { op: 'calibrated', iterations, elapsedMs }
//   { op: 'run', id, iterations, maxIps?, seed } → { op: 'done', id, checksum, elapsedMs }
// `maxIps` caps the rate (iterations per wall second) by sleeping between chunks, which is how an
// allocated frequency below the CPU's capacity is honoured.
import { parentPort } from 'node:worker_threads';
import { runKernel } from './kernel.mjs';

const CHUNK = 20_000;
const sleepArr = new Int32Array(new SharedArrayBuffer(4));

parentPort.on('message', (m) => {
  if (m.op === 'calibrate') {
    const t0 = performance.now();
    let n = 0;
    let x = 1;
    while (performance.now() - t0 < m.ms) {
      x = runKernel(CHUNK, x);
      n += CHUNK;
    }
    parentPort.postMessage({ op: 'calibrated', iterations: n, elapsedMs: performance.now() - t0, checksum: x });
    return;
  }
  const t0 = performance.now();
  let done = 0;
  let x = m.seed;
  while (done < m.iterations) {
    const k = Math.min(CHUNK, m.iterations - done);
    x = runKernel(k, x);
    done += k;
    if (m.maxIps !== undefined) {
      const aheadMs = (done / m.maxIps) * 1000 - (performance.now() - t0);
      if (aheadMs > 1) Atomics.wait(sleepArr, 0, 0, aheadMs);
    }
  }
  parentPort.postMessage({ op: 'done', id: m.id, checksum: x, elapsedMs: performance.now() - t0 });
});
