/**
 * Small MLPs as raw tf.Variables (not tf.layers), so weights are seeded from our `Rng`, soft
 * updates are one fused op per tensor, and export to `core/onnx` is a direct read of W and b.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng.ts';
import type { Activation, MlpLayer } from '../../core/onnx/index.ts';
import type { Tf } from './backend.ts';

export interface SerializedMlp { sizes: number[]; acts: Activation[]; params: number[][] }

export class Mlp {
  readonly vars: tfTypes.Variable[] = [];

  constructor(
    private readonly tf: Tf,
    readonly sizes: number[],
    readonly acts: Activation[],
    rng: Rng,
    /** Uniform(±finalInit) for the last layer (DDPG's 3e-3 keeps initial actions near 0). */
    finalInit?: number,
  ) {
    if (acts.length !== sizes.length - 1) throw new RangeError('one activation per layer');
    for (let k = 0; k < acts.length; k++) {
      const [nin, nout] = [sizes[k]!, sizes[k + 1]!];
      const last = k === acts.length - 1;
      // Glorot-uniform weights, zero biases (finalInit for the output layer if given).
      const lim = last && finalInit !== undefined ? finalInit : Math.sqrt(6 / (nin + nout));
      const w = Float32Array.from({ length: nin * nout }, () => rng.uniform(-lim, lim));
      const b = Float32Array.from({ length: nout }, () => (last && finalInit !== undefined ? rng.uniform(-lim, lim) : 0));
      this.vars.push(tf.variable(tf.tensor2d(w, [nin, nout])), tf.variable(tf.tensor1d(b)));
    }
  }

  /** Forward pass of a [batch, in] tensor (call inside tf.tidy). */
  apply(x: tfTypes.Tensor2D): tfTypes.Tensor2D {
    return this.applyWithPre(x).out;
  }

  /** Forward pass that also returns the last layer's pre-activation (for saturation penalties). */
  applyWithPre(x: tfTypes.Tensor2D): { out: tfTypes.Tensor2D; pre: tfTypes.Tensor2D } {
    const tf = this.tf;
    let h = x;
    let pre = x;
    this.acts.forEach((a, k) => {
      h = tf.add(tf.matMul(h, this.vars[2 * k] as tfTypes.Tensor2D), this.vars[2 * k + 1]!);
      pre = h;
      if (a === 'relu') h = tf.relu(h);
      else if (a === 'tanh') h = tf.tanh(h);
    });
    return { out: h, pre };
  }

  /** Runs one batch from plain arrays and returns plain rows. */
  predict(rows: ArrayLike<number>[] | Float32Array, batch?: number): Float32Array {
    const tf = this.tf;
    const n = batch ?? (rows as ArrayLike<number>[]).length;
    return tf.tidy(() => {
      const flat = rows instanceof Float32Array ? rows : Float32Array.from((rows as ArrayLike<number>[]).flatMap((r) => Array.from(r)));
      return this.apply(tf.tensor2d(flat, [n, this.sizes[0]!])).dataSync() as Float32Array;
    });
  }

  /** θ_target ← τ θ + (1 − τ) θ_target (this is the target). τ = 1 copies. */
  softUpdateFrom(src: Mlp, tau: number): void {
    const tf = this.tf;
    tf.tidy(() => this.vars.forEach((v, i) => v.assign(tf.add(tf.mul(src.vars[i]!, tau), tf.mul(v, 1 - tau)))));
  }

  /** Weights for `exportMlp` (row-major [in, out], as stored). */
  toLayers(): MlpLayer[] {
    return this.acts.map((activation, k) => ({
      shape: [this.sizes[k]!, this.sizes[k + 1]!] as [number, number],
      weights: Float32Array.from(this.vars[2 * k]!.dataSync()),
      bias: Float32Array.from(this.vars[2 * k + 1]!.dataSync()),
      activation,
    }));
  }

  serialize(): SerializedMlp {
    return { sizes: this.sizes, acts: this.acts, params: this.vars.map((v) => Array.from(v.dataSync())) };
  }

  load(s: SerializedMlp): void {
    if (s.sizes.join() !== this.sizes.join()) throw new RangeError(`checkpoint net ${s.sizes.join('→')} does not match ${this.sizes.join('→')}`);
    const tf = this.tf;
    this.vars.forEach((v, i) => v.assign(tf.tensor(s.params[i]!, v.shape)));
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }
}
