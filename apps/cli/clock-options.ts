/** `--speed` / `--anchor`: the clock options of every command that takes part in a mission. */
import { ScaledClock, type Clock } from '../../core/clock.ts';
import { num, type OptionSpec } from './args.ts';

export const CLOCK_OPTIONS = { speed: { type: 'string' }, anchor: { type: 'string' } } as const satisfies OptionSpec;

export const CLOCK_HELP = `Clock:
  --speed X         simulated seconds per wall second (default 1 = wall time)
  --anchor MS       Unix time (ms) at which simulated time equals wall time; give every process of a
                    mission the same --speed and --anchor to share one accelerated clock`;

export function clockFrom(v: Record<string, string | boolean | undefined>): Clock {
  const speed = num(v.speed, 'speed', 1, 0.01, 1000);
  const anchor = v.anchor === undefined ? undefined : num(v.anchor, 'anchor', 0, 0);
  return new ScaledClock(speed, undefined, anchor);
}
