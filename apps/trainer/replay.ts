/**
 * Fixed-capacity replay buffer (ring) of joint transitions, flat Float32 storage, seeded sampling.
 * A row holds the joint observation, joint action (normalised to [-1, 1]), shared reward, next
 * joint observation and a terminal flag (time-limit ends are not terminal: we keep bootstrapping).
 */
import type { Rng } from '../../core/rng.ts';

export interface Batch { obs: Float32Array; act: Float32Array; rew: Float32Array; next: Float32Array; done: Float32Array; size: number }

export class ReplayBuffer {
  private readonly obs: Float32Array;
  private readonly act: Float32Array;
  private readonly rew: Float32Array;
  private readonly next: Float32Array;
  private readonly done: Float32Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number, readonly obsDim: number, readonly actDim: number) {
    this.obs = new Float32Array(capacity * obsDim);
    this.act = new Float32Array(capacity * actDim);
    this.rew = new Float32Array(capacity);
    this.next = new Float32Array(capacity * obsDim);
    this.done = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(obs: ArrayLike<number>, act: ArrayLike<number>, rew: number, next: ArrayLike<number>, done: boolean): void {
    const i = this.head;
    this.obs.set(obs, i * this.obsDim);
    this.act.set(act, i * this.actDim);
    this.rew[i] = rew;
    this.next.set(next, i * this.obsDim);
    this.done[i] = done ? 1 : 0;
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** `n` rows drawn uniformly with replacement from the stored ones. */
  sample(n: number, rng: Rng): Batch {
    if (this.count === 0) throw new RangeError('sample from an empty replay buffer');
    const b: Batch = {
      obs: new Float32Array(n * this.obsDim), act: new Float32Array(n * this.actDim), rew: new Float32Array(n),
      next: new Float32Array(n * this.obsDim), done: new Float32Array(n), size: n,
    };
    for (let r = 0; r < n; r++) {
      const i = rng.int(0, this.count - 1);
      b.obs.set(this.obs.subarray(i * this.obsDim, (i + 1) * this.obsDim), r * this.obsDim);
      b.act.set(this.act.subarray(i * this.actDim, (i + 1) * this.actDim), r * this.actDim);
      b.rew[r] = this.rew[i]!;
      b.next.set(this.next.subarray(i * this.obsDim, (i + 1) * this.obsDim), r * this.obsDim);
      b.done[r] = this.done[i]!;
    }
    return b;
  }
}
