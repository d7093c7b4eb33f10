import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaledClock, type Timer } from '../../core/clock.ts';
import { loopTimer } from './fleet.ts';

/** A wall-anchored clock whose time and timer firings the test drives (callbacks may run late). */
class DrivenWallClock extends ScaledClock {
  t = 0;
  private pending: { at: number; fn: () => void; off: boolean }[] = [];
  override nowUs(): number {
    return this.t;
  }
  override setTimeout(fn: () => void, ms: number): Timer {
    const p = { at: this.t + Math.max(0, ms) * 1000, fn, off: false };
    this.pending.push(p);
    return { cancel: () => void (p.off = true) };
  }
  armed(): number {
    return this.pending.filter((p) => !p.off).length;
  }
  /** Runs the next timer `lateUs` after it falls due. */
  fireNext(lateUs = 0): void {
    this.pending = this.pending.filter((p) => !p.off).sort((a, b) => a.at - b.at);
    const p = this.pending.shift()!;
    this.t = Math.max(this.t, p.at + lateUs);
    p.fn();
  }
}

test('the SITL loop timer keeps its period on a wall clock when ticks run late (no drift)', () => {
  const clock = new DrivenWallClock();
  const at: number[] = [];
  loopTimer(clock, () => at.push(clock.t), 20);
  for (let i = 0; i < 50; i++) clock.fireNext(3000); // every callback 3 ms late, as under load
  // Node's setInterval re-arms from when the callback ran: 50 ticks would take 50 × 23 ms.
  assert.equal(at.length, 50);
  assert.equal(at.at(-1), 50 * 20_000 + 3000, 'tick 50 fires 3 ms after its slot, not 150 ms');
});

test('a stall skips the loop ticks whose slots passed instead of bursting them', () => {
  const clock = new DrivenWallClock();
  const at: number[] = [];
  loopTimer(clock, () => at.push(clock.t), 20);
  clock.fireNext(0); // t = 20 ms
  clock.fireNext(75_000); // due 40 ms, runs at 115 ms: the slots at 60, 80, 100 ms are gone
  clock.fireNext(0);
  assert.deepEqual(at, [20_000, 115_000, 120_000]);
});

test('cancel stops the loop', () => {
  const clock = new DrivenWallClock();
  let n = 0;
  const t = loopTimer(clock, () => n++, 20);
  clock.fireNext();
  t.cancel();
  assert.equal(clock.armed(), 0);
  assert.equal(n, 1);
});
