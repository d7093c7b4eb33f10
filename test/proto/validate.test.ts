import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { validateMessage, type TwinState } from '../../proto/index.ts';

/**
 * TwinState's rules written out plainly, field by field (the `.proto` comments' ranges), as the
 * reference for `validate.ts`'s straight-line fast path (issue 20): same verdict, same reason.
 */
function reference(m: TwinState): string | undefined {
  if (!(m.uav_id >= 1)) return 'uav_id must be ≥ 1';
  if (m.position) {
    for (const k of ['x_east_m', 'y_north_m', 'alt_m'] as const) {
      if (!Number.isFinite(m.position[k])) return `position.${k} not finite`;
      if (Math.abs(m.position[k]) > 1e6) return `position.${k} out of range (|v| > 1000 km)`;
    }
  }
  if (m.velocity) {
    for (const k of ['vx_east_m_s', 'vy_north_m_s', 'vz_up_m_s'] as const) {
      if (!Number.isFinite(m.velocity[k]) || Math.abs(m.velocity[k]) > 200) return `velocity.${k} out of range (|v| > 200 m/s)`;
    }
  }
  const amounts = ['battery_remaining_j', 'flight_energy_used_j', 'compute_energy_used_j', 'cpu_hz_available', 'cpu_hz_measured', 'bandwidth_hz', 'cache_bits_available', 'hover_power_w'] as const;
  for (const k of amounts) {
    const v = m[k];
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) return `${k} must be ≥ 0`;
  }
  if (m.battery_pct !== undefined && !(m.battery_pct >= 0 && m.battery_pct <= 100)) return 'battery_pct must be 0–100';
  return undefined;
}

/** Doubles around every boundary the rules have, and the ones that break naive checks. */
const edgy = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 100, 100.0001, 200, -200, 200.0001, -200.0001, 1e6, -1e6, 1e6 + 1, -1e6 - 1, NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MIN_VALUE),
  fc.double(),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

test('TwinState validation gives the plain rules\' verdict and reason on edge values', () => {
  const twin = fc.record({
    uav_id: fc.constantFrom(0, 1, 7, -3),
    position: maybe(fc.record({ x_east_m: edgy, y_north_m: edgy, alt_m: edgy })),
    velocity: maybe(fc.record({ vx_east_m_s: edgy, vy_north_m_s: edgy, vz_up_m_s: edgy })),
    battery_remaining_j: maybe(edgy),
    battery_pct: maybe(edgy),
    flight_energy_used_j: maybe(edgy),
    compute_energy_used_j: edgy,
    cpu_hz_available: edgy,
    cpu_hz_measured: maybe(edgy),
    bandwidth_hz: edgy,
    cache_bits_available: edgy,
    hover_power_w: maybe(edgy),
  });
  fc.assert(
    fc.property(twin, (t) => {
      const m = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as unknown as TwinState;
      assert.equal(validateMessage('TwinState', m), reference(m));
    }),
    { numRuns: 20_000, seed: 20 },
  );
});
