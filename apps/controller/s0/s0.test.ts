import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { generateS0Instance } from '../../../engines/planning/coalition/index.ts';
import { encode, decode, CONTRACT_VERSION } from '../../../proto/index.ts';
import { emptyFidelity, planS0Slot, recordShare, S0Controller, WarmStartModel, type S0SlotInput } from './index.ts';
import { ExecutionSite, FlightState } from '../../../proto/index.ts';
import type { Twin, UavTwin } from '../twin/index.ts';

/** An S0-setting slot (SPEC §5.6) as planner input: `uavs` UAVs at 800 m, `meds` requests with Rayleigh fading. */
function slotInput(seed: number, uavs: number, meds: number, ratio = 1): S0SlotInput {
  const inst = generateS0Instance(createRng(seed), { uavs, meds, rayleigh: true });
  return {
    slot: 3, nowUs: 1_700_000_000_000_000, slotS: 5, validSlots: 2, planner: 'coalition', params: inst.params, speedMS: 5, idle: [{ id: uavs + 1, hover: [0, 0, 800] }],
    uavs: inst.uavs.map((u, j) => ({ id: j + 1, pos: u.pos, hover: u.pos, bandwidthHz: u.bandwidthHz, cpuHz: u.cpuHz, cacheBits: u.cacheBits, hoverW: u.hoverW, kappa: u.kappa, computeRatio: ratio })),
    meds: inst.meds.map((d, i) => ({
      taskId: 100 + i, userId: i + 1, pos: d.pos, taskBits: d.taskBits, cyclesPerBit: d.cyclesPerBit, txPowerW: d.txPowerW, deadlineS: d.deadlineS, releaseUs: 1_700_000_000_000_000, localCpuHz: 1e9,
      fading: new Map(inst.uavs.map((_, j) => [j + 1, inst.fading![i]![j]!])),
    })),
  };
}

test('S0 slot plans: one coalition per UAV, shares within the MED task, energy saving for the rest, valid signed-ready plans', () => {
  const inp = slotInput(11, 8, 3);
  const out = planS0Slot(inp);
  assert.equal(out.plans.size, 9, 'every serving and idle UAV gets a plan');
  const seen = new Set<number>();
  for (const [id, p] of out.plans) {
    const bytes = encode('Plan', { ...p, header: { version: CONTRACT_VERSION, sender: 'controller', t_us: 1, seq: 1 } } as never);
    const d = decode('Plan', bytes);
    assert.ok(d.ok, `plan for UAV ${id} validates: ${d.ok ? '' : d.detail}`);
    assert.equal(p.energy_saving, (p.shares ?? []).length === 0);
    assert.ok((p.shares ?? []).length <= 1, 'a UAV serves at most one MED per slot');
    for (const s of p.shares ?? []) {
      assert.ok(!seen.has(id));
      seen.add(id);
      const u = inp.uavs.find((x) => x.id === id)!;
      assert.ok(s.cpu_hz! <= u.cpuHz * (1 + 1e-12), 'CPU within f_max');
      assert.ok(s.share_bits! <= u.cacheBits * (1 + 1e-12), 'share within the cache (C3)');
      assert.ok(s.coalition_uav_ids!.includes(id));
      assert.ok(s.predicted_delay_s! <= s.deadline_s! + 1e-9, 'the coalition meets the deadline as planned (T_g ≤ τ)');
    }
  }
  assert.equal(out.plans.get(9)!.energy_saving, true, 'an idle UAV saves energy');
  for (const m of inp.meds) {
    const bits = out.shares.filter((s) => s.taskId === m.taskId).reduce((a, s) => a + s.shareBits, 0);
    assert.ok(bits <= m.taskBits * (1 + 1e-12), 'Σ s_j ≤ s_i (C4)');
  }
  assert.ok(out.shares.length > 0 && out.coalition.totalWorth > 0);
  // Pure: the same inputs give the same bytes.
  const again = planS0Slot(inp);
  for (const [id, p] of out.plans) assert.deepEqual(encode('Plan', again.plans.get(id) as never), encode('Plan', p as never));
});

test('the planner counts on the corrected compute f_max/ρ and asks for f*·ρ', () => {
  const base = planS0Slot(slotInput(5, 6, 1));
  const slow = planS0Slot(slotInput(5, 6, 1, 1.25));
  for (const s of slow.shares) {
    assert.ok(s.expectedCpuHz <= s.maxCpuHz / 1.25 * (1 + 1e-12), 'planned within the corrected compute');
    assert.ok(Math.abs(s.nominalCpuHz - Math.min(s.maxCpuHz, s.expectedCpuHz * 1.25)) < 1e-3);
    assert.ok(s.uplinkS + s.cycles / (s.maxCpuHz / 1.25) <= s.deadlineS * (1 + 1e-9), 'the deadline holds at the corrected compute (C8)');
  }
  assert.ok(slow.shares.length > 0 && base.shares.length > 0);
  assert.ok(slow.shares.every((s) => s.nominalCpuHz > s.expectedCpuHz), 'it asks for more than it expects to get');
});

test('compute fidelity (S0 §VI-C): F_f = 1 − |Δf/f̃| and the correction ρ', () => {
  // The UAV delivers 80 % of what it is asked for; the twin expects all of it.
  const first = recordShare(emptyFidelity(), { cycles: 8e9, askedCpuHz: 8e9, expectedCpuHz: 8e9, measuredComputeS: 1.25 });
  assert.ok(Math.abs(first.fidelity - 0.75) < 1e-12, 'f = 8 GHz vs f̃ = 6.4 GHz → F = 1 − 1.6/6.4');
  assert.ok(Math.abs(first.next.ratio - 1.25) < 1e-12);
  // Corrected: expects 6.4 GHz when asking 8 GHz, and gets it.
  const second = recordShare(first.next, { cycles: 6.4e9, askedCpuHz: 8e9, expectedCpuHz: 6.4e9, measuredComputeS: 1 });
  assert.ok(Math.abs(second.fidelity - 1) < 1e-12);
  assert.ok(Math.abs(second.next.ratio - 1.25) < 1e-12);
  assert.deepEqual(recordShare(first.next, { cycles: 0, askedCpuHz: 1, expectedCpuHz: 1, measuredComputeS: 0 }).next, first.next, 'unmeasurable samples change nothing');
});

function twinOf(inp: S0SlotInput): Twin {
  return new Map(inp.uavs.map((u): [number, UavTwin] => [u.id, {
    id: u.id, pos: u.pos, computeEnergyJ: 0, cpuHzAvailable: u.cpuHz, bandwidthHz: u.bandwidthHz, cacheBits: u.cacheBits, flightState: FlightState.FLIGHT_STATE_FLYING,
    planSeq: 0, autopilotLinkUp: true, armed: true, mode: 'GUIDED', reportedUs: 0, fidelity: { samples: 0, completionFidelity: 1, computeRatio: 1 },
  }]));
}

test('S0 controller: measured shares correct the twin, fidelity rises the next slot, every share counted once', () => {
  const inp = slotInput(21, 8, 3);
  const fleet = Object.fromEntries(inp.uavs.map((u) => [u.id, { station: u.hover, kappa: u.kappa, hoverW: u.hoverW }]));
  const ctl = new S0Controller({ params: inp.params, planner: 'coalition', slotS: 5, speedMS: 5, fleet });
  const eta = (id: number) => 0.7 + 0.03 * id; // what each UAV really delivers of what it is asked
  const fid: number[] = [];
  for (let slot = 0; slot < 3; slot++) {
    for (const m of inp.meds) {
      ctl.add({
        header: { version: 1, sender: 'world', t_us: 1, seq: 1 }, task_id: m.taskId + 1000 * slot, user_id: m.userId, user_position: { x_east_m: m.pos[0], y_north_m: m.pos[1], alt_m: 0 },
        data_bits: m.taskBits, cycles_per_bit: m.cyclesPerBit, local_cpu_hz: 1e9, tx_power_w: m.txPowerW, deadline_s: m.deadlineS, release_t_us: 1, subtasks: [], edges: [],
        channel_gains: [...m.fading].map(([uav_id, fading_gain]) => ({ uav_id, fading_gain })),
      });
    }
    const t0 = inp.nowUs + slot * 5e6;
    const step = ctl.step(slot, t0, twinOf(inp), new Map());
    assert.equal(step.inputs.task_ids!.length, 3);
    for (const p of step.plans.values()) {
      for (const s of p.shares ?? []) {
        const computeS = (s.share_bits! * s.cycles_per_bit!) / (s.cpu_hz! * eta(p.uav_id!));
        const c = {
          header: { version: 1, sender: 'uav', t_us: 1, seq: 1 }, task_id: s.task_id!, user_id: s.user_id!, subtask_id: '', site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: p.uav_id!, release_t_us: 1,
          done_t_us: t0 + Math.round((s.predicted_uplink_s! + computeS) * 1e6), uplink_s: s.predicted_uplink_s!, relay_s: 0, compute_s: computeS, predicted_s: 0, local_s: 0,
          late: false, compute_energy_j: 1, failed: false, failure_reason: '', service_start_t_us: t0, part_bits: s.share_bits!, tx_energy_j: 0.1, helper_user_id: 0, transcode_level_mbps: 0, transcode_energy_j: 0,
        };
        ctl.onShare(c);
        ctl.onShare(c); // a duplicate delivery (QoS 1) is not counted twice
      }
    }
    fid.push(ctl.ledger.slots[slot]!.fidelity);
  }
  const t = ctl.ledger.totals();
  assert.equal(t.sharesComputed, t.sharesPlanned);
  assert.equal(t.sharesDuplicate, t.sharesPlanned);
  assert.equal(t.medsCompleted, t.servedMeds);
  assert.ok(fid[0]! < 0.9, `uncorrected fidelity ${fid[0]}`);
  assert.ok(fid[2]! > fid[0]! && fid[2]! > 0.97, `fidelity after correction ${fid.join(' → ')}`);
  assert.ok(t.flownEnergyJ > 0 && t.flownUtilisation > 0);
});

test('warm start from the ONNX model (onnxruntime): ≥ 30 % fewer formation iterations at equal utility', async () => {
  const m = await WarmStartModel.load('models/coalition-warmstart.onnx');
  assert.ok(m.ok, m.ok ? '' : m.detail);
  let cold = 0, warm = 0, wCold = 0, wWarm = 0;
  for (let k = 0; k < 20; k++) {
    const inp = slotInput(100 + k, 8, 3);
    const c = planS0Slot(inp).coalition;
    const w = planS0Slot({ ...inp, warmStarts: await m.value.propose(inp) }).coalition;
    cold += c.iterations;
    warm += w.iterations;
    wCold += c.totalWorth;
    wWarm += w.totalWorth;
  }
  await m.value.close();
  assert.ok(warm <= 0.7 * cold, `iterations ${warm} warm vs ${cold} cold`);
  assert.ok(Math.abs(wWarm - wCold) / wCold < 0.01, `worth ${wWarm} warm vs ${wCold} cold`);
  const bad = await WarmStartModel.load('models/s2-td3.onnx');
  assert.equal(bad.ok, false, 'another model is refused');
});
