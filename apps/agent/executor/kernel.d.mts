/** Runs `iterations` of the mixing kernel from `seed`; returns the final state (uint32). */
export function runKernel(iterations: number, seed: number): number;
