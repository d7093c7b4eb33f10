/**
 * The MLP description shared by the trainer (which produces it from tfjs weights), the ONNX
 * writer and a plain-TypeScript forward pass (used as an independent reference in tests and by
 * tools that want to run a policy without onnxruntime).
 */
export type Activation = 'relu' | 'tanh' | 'none';

/** One dense layer: `y = act(x · W + b)`, W stored row-major with shape [in, out]. */
export interface MlpLayer {
  weights: Float32Array;
  shape: [number, number];
  bias: Float32Array;
  activation: Activation;
}

/** Affine maps applied before the first and after the last layer: `x·scale + offset`, elementwise. */
export interface MlpAffine {
  inputScale?: ArrayLike<number>;
  inputOffset?: ArrayLike<number>;
  outputScale?: ArrayLike<number>;
  outputOffset?: ArrayLike<number>;
}

export class MlpShapeError extends Error {
  override name = 'MlpShapeError';
}

/** Checks layer chaining and vector lengths; throws `MlpShapeError` with the first problem. */
export function validateMlp(layers: readonly MlpLayer[], affine: MlpAffine = {}): void {
  if (layers.length === 0) throw new MlpShapeError('an MLP needs at least one layer');
  layers.forEach((l, k) => {
    const [nin, nout] = l.shape;
    if (!(Number.isInteger(nin) && nin > 0 && Number.isInteger(nout) && nout > 0)) throw new MlpShapeError(`layer ${k}: bad shape [${nin}, ${nout}]`);
    if (l.weights.length !== nin * nout) throw new MlpShapeError(`layer ${k}: ${l.weights.length} weights for shape [${nin}, ${nout}]`);
    if (l.bias.length !== nout) throw new MlpShapeError(`layer ${k}: bias length ${l.bias.length}, expected ${nout}`);
    if (k > 0 && layers[k - 1]!.shape[1] !== nin) throw new MlpShapeError(`layer ${k}: input ${nin} does not match previous output ${layers[k - 1]!.shape[1]}`);
  });
  const nIn = layers[0]!.shape[0];
  const nOut = layers[layers.length - 1]!.shape[1];
  const check = (v: ArrayLike<number> | undefined, n: number, what: string) => {
    if (v !== undefined && v.length !== n) throw new MlpShapeError(`${what} has length ${v.length}, expected ${n}`);
  };
  check(affine.inputScale, nIn, 'inputScale');
  check(affine.inputOffset, nIn, 'inputOffset');
  check(affine.outputScale, nOut, 'outputScale');
  check(affine.outputOffset, nOut, 'outputOffset');
}

const act = (a: Activation, v: number): number => (a === 'relu' ? (v > 0 ? v : 0) : a === 'tanh' ? Math.tanh(v) : v);

/** Forward pass of one observation in float64 (reference semantics of the exported graph). */
export function mlpForward(layers: readonly MlpLayer[], x: ArrayLike<number>, affine: MlpAffine = {}): Float64Array {
  let h = Float64Array.from(x, (v, i) => v * (affine.inputScale?.[i] ?? 1) + (affine.inputOffset?.[i] ?? 0));
  for (const l of layers) {
    const [nin, nout] = l.shape;
    const y = new Float64Array(nout);
    for (let j = 0; j < nout; j++) {
      let s = l.bias[j]!;
      for (let i = 0; i < nin; i++) s += h[i]! * l.weights[i * nout + j]!;
      y[j] = act(l.activation, s);
    }
    h = y;
  }
  return h.map((v, i) => v * (affine.outputScale?.[i] ?? 1) + (affine.outputOffset?.[i] ?? 0));
}
