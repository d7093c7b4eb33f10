/**
 * WorkerExecutor: runs real work in `worker_threads` and measures the UAV's actual compute rate —
 * the f̃ it reports to the twin (SPEC §2 fidelity: predicted vs. measured compute).
 *
 * Calibration (at start-up, per thread): the kernel (kernel.ts) runs for `calibrateMs`; with the
 * CPU's nominal clock f_nom (os.cpus()[0].speed, or `nominalHz`), one iteration is defined to
 * cost cpi = f_nom / iterations-per-second cycles. A job of C cycles then runs C / cpi iterations,
 * and its achieved rate is C / wall-seconds: equal to f_nom on an idle CPU, lower when the CPU is
 * loaded or throttled — which is exactly what the twin needs to learn. A job's `cpuHz` below the
 * capacity is honoured by duty-cycling (the worker sleeps between chunks).
 *
 * Discipline: FIFO over `threads` workers (default 1 = one server). Times (`startUs`, `endUs`)
 * come from the injected Clock; rates are measured on wall time, because real compute does not
 * speed up with a ScaledClock (use SimulatedExecutor in scaled simulations).
 */
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import type { Clock } from '../../../core/clock.ts';
import { checkJob, ExecutorError, type Executor, type Job, type JobResult } from './types.ts';

export interface WorkerExecutorOptions {
  clock: Clock;
  threads?: number;
  /** Nominal CPU clock, Hz; default os.cpus()[0].speed·1e6, or 1 GHz when the OS reports 0. */
  nominalHz?: number;
  /** Calibration time per thread, ms; default 300. */
  calibrateMs?: number;
  /** Weight of the newest job in the f̃ moving average, default 0.2. */
  ewmaAlpha?: number;
}

export interface Calibration {
  nominalHz: number;
  iterationsPerS: number;
  cyclesPerIteration: number;
}

interface Pending {
  job: Job;
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

type Out = { op: 'calibrated'; iterations: number; elapsedMs: number } | { op: 'done'; id: string; checksum: number; elapsedMs: number };

function request<T extends Out>(w: Worker, msg: unknown, op: T['op']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Out) => {
      if (m.op !== op) return;
      w.off('message', onMsg);
      w.off('error', onErr);
      resolve(m as T);
    };
    const onErr = (e: Error) => {
      w.off('message', onMsg);
      reject(e);
    };
    w.on('message', onMsg);
    w.once('error', onErr);
    w.postMessage(msg);
  });
}

export class WorkerExecutor implements Executor {
  private readonly queue: Pending[] = [];
  private closed = false;
  private fHat: number;
  /** Checksum of the last job (proof of work; also keeps the result observable). */
  lastChecksum = 0;

  private constructor(
    private readonly o: WorkerExecutorOptions,
    private readonly slots: Slot[],
    readonly calibration: Calibration,
  ) {
    this.fHat = calibration.nominalHz;
  }

  static async start(o: WorkerExecutorOptions): Promise<WorkerExecutor> {
    const threads = o.threads ?? 1;
    if (!(Number.isInteger(threads) && threads >= 1)) throw new ExecutorError(`threads must be a whole number ≥ 1, got ${threads}`);
    const osHz = (cpus()[0]?.speed ?? 0) * 1e6;
    const nominalHz = o.nominalHz ?? (osHz > 0 ? osHz : 1e9);
    if (!(nominalHz > 0)) throw new ExecutorError(`nominalHz must be > 0, got ${nominalHz}`);
    const slots: Slot[] = [];
    for (let i = 0; i < threads; i++) {
      slots.push({ worker: new Worker(new URL('./worker.mjs', import.meta.url)), busy: false });
    }
    try {
      // Calibrate one thread at a time so they do not compete for the same core.
      let ips = Infinity;
      for (const s of slots) {
        const c = await request<Extract<Out, { op: 'calibrated' }>>(s.worker, { op: 'calibrate', ms: o.calibrateMs ?? 300 }, 'calibrated');
        ips = Math.min(ips, c.iterations / (c.elapsedMs / 1000));
      }
      return new WorkerExecutor(o, slots, { nominalHz, iterationsPerS: ips, cyclesPerIteration: nominalHz / ips });
    } catch (e) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw e;
    }
  }

  /** The compute rate to report to the twin: moving average of achieved unthrottled rates, Hz. */
  measuredHz(): number {
    return this.fHat;
  }

  run(job: Job, _nowUs: number): Promise<JobResult> {
    if (this.closed) return Promise.reject(new ExecutorError('executor closed'));
    try {
      checkJob(job);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const s of this.slots) {
      if (s.busy) continue;
      const p = this.queue.shift();
      if (!p) return;
      s.busy = true;
      void this.execute(s, p).finally(() => {
        s.busy = false;
        this.pump();
      });
    }
  }

  private async execute(s: Slot, p: Pending): Promise<void> {
    const { job } = p;
    const cpi = this.calibration.cyclesPerIteration;
    const iterations = Math.max(0, Math.round(job.cycles / cpi));
    const throttled = job.cpuHz !== undefined && job.cpuHz < this.fHat;
    const startUs = this.o.clock.nowUs();
    try {
      const msg = { op: 'run', id: job.id, iterations, seed: job.cycles | 0, ...(throttled ? { maxIps: job.cpuHz! / cpi } : {}) };
      const r = await request<Extract<Out, { op: 'done' }>>(s.worker, msg, 'done');
      const endUs = this.o.clock.nowUs();
      const wallS = Math.max(r.elapsedMs, 1e-3) / 1000;
      const rate = (iterations * cpi) / wallS;
      // Throttled jobs say nothing about capacity; short jobs are dominated by message latency.
      if (!throttled && r.elapsedMs >= 5) {
        const a = this.o.ewmaAlpha ?? 0.2;
        this.fHat = (1 - a) * this.fHat + a * rate;
      }
      this.lastChecksum = r.checksum;
      p.resolve({ id: job.id, startUs, endUs, cyclesPerS: rate });
    } catch (e) {
      p.reject(e as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new ExecutorError('executor closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
