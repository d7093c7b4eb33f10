/**
 * TensorFlow.js backend selection. Prefers native `@tensorflow/tfjs-node` (not installable on every
 * machine: its install downloads libtensorflow); otherwise `@tensorflow/tfjs` on the WebAssembly
 * backend, then the pure-JS CPU backend. Logs which backend runs.
 */
import * as tfjs from '@tensorflow/tfjs';

export type Tf = typeof tfjs;
export interface Backend {
  tf: Tf;
  /** 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  name: string;
}

let cached: Backend | undefined;

/** Initialises once per process; `log` receives the one line saying which backend runs. */
export async function initBackend(log: (line: string) => void = (l) => console.error(l), prefer?: 'wasm' | 'cpu'): Promise<Backend> {
  if (cached && (prefer === undefined || cached.name === prefer)) return cached;
  if (prefer === undefined) {
    try {
      // A variable specifier keeps TypeScript from requiring the optional package's types.
      const nodePkg = '@tensorflow/tfjs-node';
      const tfn = (await import(nodePkg)) as Tf;
      await tfn.ready();
      cached = { tf: tfn, name: tfn.getBackend() };
      log(`[trainer] TensorFlow.js backend: ${cached.name} (native @tensorflow/tfjs-node)`);
      return cached;
    } catch {
      // fall through to wasm
    }
  }
  if (prefer !== 'cpu') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tfjs.setBackend('wasm')) {
        await tfjs.ready();
        cached = { tf: tfjs, name: 'wasm' };
        log('[trainer] TensorFlow.js backend: wasm (@tensorflow/tfjs-backend-wasm; @tensorflow/tfjs-node not available)');
        return cached;
      }
    } catch {
      // fall through to cpu
    }
  }
  await tfjs.setBackend('cpu');
  await tfjs.ready();
  cached = { tf: tfjs, name: 'cpu' };
  log('[trainer] TensorFlow.js backend: cpu (pure JavaScript; tfjs-node and wasm not available)');
  return cached;
}
