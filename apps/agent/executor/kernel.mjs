// The compute kernel the WorkerExecutor burns real CPU with: an integer mixing loop (xorshift and
// multiply, the MurmurHash3 finaliser) whose result feeds the next iteration, so the JIT can
// neither vectorise nor skip it. Its cost per iteration is constant, which is what makes it
// calibratable: cycles-per-iteration = nominal CPU Hz / measured iterations per second.
// Plain JavaScript so that worker threads load it without a TypeScript loader (kernel.d.mts types it).
export function runKernel(iterations, seed) {
  let x = seed | 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    x = (x + i) | 0;
  }
  return x >>> 0;
}
