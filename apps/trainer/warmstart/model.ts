/**
 * The warm-start membership model: MLP features → 32 → 32 → 1 with a tanh output mapped to a
 * probability p = (tanh(z) + 1)/2 = σ(2z) (so the ONNX graph needs only Gemm/Relu/Tanh/Mul/Add),
 * trained with binary cross-entropy (Adam) in TensorFlow.js; evaluation by running coalition
 * formation from singletons and from the proposed structure.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.ts';
import { exportMlp, mlpForward, type MlpLayer } from '../../../core/onnx/index.ts';
import { CoalitionCache, formCoalitions } from '../../../engines/planning/coalition/index.ts';
import type { Tf } from '../backend.ts';
import { Mlp } from '../nets.ts';
import { WARMSTART_FEATURES, proposeStructure } from './features.ts';
import type { WarmstartSample } from './dataset.ts';

export interface WarmstartModel { layers: MlpLayer[] }

const OUT = { outputScale: [0.5], outputOffset: [0.5] };

export interface WarmstartTrainOptions { hidden: number[]; epochs: number; batch: number; lr: number }

export function trainWarmstart(tf: Tf, samples: WarmstartSample[], rng: Rng, o: WarmstartTrainOptions = { hidden: [32, 32], epochs: 60, batch: 64, lr: 3e-3 }): { model: WarmstartModel; loss: number } {
  const rows = samples.flatMap((s) => s.features.map((f, q) => ({ f, y: s.labels[q]! })));
  const nF = WARMSTART_FEATURES.length;
  const net = new Mlp(tf, [nF, ...o.hidden, 1], [...o.hidden.map(() => 'relu' as const), 'tanh'], rng);
  const opt = tf.train.adam(o.lr);
  // Positives are ~15 % of rows: weight them so both classes count equally.
  const pos = rows.filter((r) => r.y === 1).length;
  const wPos = pos > 0 ? (rows.length - pos) / pos : 1;
  let loss = 0;
  const idx = rows.map((_, i) => i);
  for (let e = 0; e < o.epochs; e++) {
    rng.shuffle(idx);
    let sum = 0, n = 0;
    for (let s = 0; s < idx.length; s += o.batch) {
      const mb = idx.slice(s, s + o.batch);
      const x = Float32Array.from(mb.flatMap((i) => rows[i]!.f));
      const y = Float32Array.from(mb.map((i) => rows[i]!.y));
      const w = Float32Array.from(mb.map((i) => (rows[i]!.y === 1 ? wPos : 1)));
      const l = tf.tidy(() => {
        const X = tf.tensor2d(x, [mb.length, nF]);
        const Y = tf.tensor2d(y, [mb.length, 1]);
        const W = tf.tensor2d(w, [mb.length, 1]);
        return opt.minimize(() => {
          const p = tf.clipByValue(tf.add(tf.mul(net.apply(X), 0.5), 0.5), 1e-6, 1 - 1e-6);
          const bce = tf.neg(tf.add(tf.mul(Y, tf.log(p)), tf.mul(tf.sub(1, Y), tf.log(tf.sub(1, p)))));
          return tf.div(tf.sum(tf.mul(W, bce)), tf.sum(W)) as tfTypes.Scalar;
        }, true, net.vars)!.dataSync()[0]!;
      });
      sum += l;
      n++;
    }
    loss = sum / n;
  }
  const model = { layers: net.toLayers() };
  net.dispose();
  opt.dispose();
  return { model, loss };
}

/** Membership probabilities of each feature row (plain TypeScript forward pass). */
export function predictMembership(model: WarmstartModel, features: number[][]): number[] {
  return features.map((f) => mlpForward(model.layers, f, OUT)[0]!);
}

export interface WarmstartEval {
  requests: number;
  meanIterationsCold: number;
  meanIterationsWarm: number;
  meanEvaluationsCold: number;
  meanEvaluationsWarm: number;
  /** Mean stable value from the warm start ÷ from singletons. */
  meanValueRatio: number;
  /** Fraction of requests whose warm-started value is within 1e-9 of (or above) the cold one. */
  sameOrBetterValue: number;
  /** Per-UAV classification accuracy at the threshold. */
  accuracy: number;
}

export function evaluateWarmstart(model: WarmstartModel, samples: WarmstartSample[], threshold = 0.5): WarmstartEval {
  let it = 0, ev = 0, ratio = 0, same = 0, correct = 0, total = 0;
  for (const s of samples) {
    const p = predictMembership(model, s.features);
    p.forEach((v, q) => {
      correct += (v >= threshold ? 1 : 0) === s.labels[q] ? 1 : 0;
      total++;
    });
    const r = formCoalitions(s.input, s.candidates, { initial: proposeStructure(s.candidates, p, threshold) }, new CoalitionCache(s.input));
    it += r.iterations;
    ev += r.evaluations;
    ratio += s.value > 0 ? r.value / s.value : 1;
    same += r.value >= s.value - 1e-9 ? 1 : 0;
  }
  const n = samples.length;
  return {
    requests: n, meanIterationsCold: samples.reduce((a, s) => a + s.iterations, 0) / n, meanIterationsWarm: it / n,
    meanEvaluationsCold: samples.reduce((a, s) => a + s.evaluations, 0) / n, meanEvaluationsWarm: ev / n,
    meanValueRatio: ratio / n, sameOrBetterValue: same / n, accuracy: correct / total,
  };
}

/** ONNX: input 'features' [batch, 9] → output 'membership' [batch, 1] probability. */
export function exportWarmstart(model: WarmstartModel, metadata: Record<string, string>): Uint8Array {
  return exportMlp({
    layers: model.layers, inputName: 'features', outputName: 'membership', ...OUT,
    metadata: { 'uavmec.algo': 'warmstart-membership', 'uavmec.warmstart.features': JSON.stringify(WARMSTART_FEATURES), ...metadata },
    docString: 'uavmec generative warm start for the S0 coalition game: P(UAV in the serving coalition | request, UAV)',
  });
}
