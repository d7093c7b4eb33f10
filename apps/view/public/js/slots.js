// Per-slot metrics from the bus, as the controller's ledger counts them (apps/controller/metrics.ts):
// tasks released, completed, late, failed; the achieved DOR (SPEC §5.1: Σ 1 − T_i/T_i^loc over the
// slot's offloaded tasks, T_i from service start to result; a local task adds exactly 0); the planned
// DOR (the slot plans' objective, the CD+KKT prediction); each UAV's energy (flight + compute) at
// the slot's end.

const NON_SLOT = new Set(['launch', 'mission-end', 'pool', 'shard-transit']);
// S3's planners: their plan objective is the slot's predicted DOR. Others (S0's coalition game, S2's
// actors) have objectives of their own, which the DOR chart must not mislabel (charts.js).
export const S3_PLANNERS = new Set(['cd-kkt', 'ao', 'al']);

export class SlotLedger {
  constructor() {
    this.rows = new Map();
    this.taskSlot = new Map();
    this.done = new Set();
  }

  row(slot) {
    let r = this.rows.get(slot);
    if (!r) this.rows.set(slot, (r = { slot, released: 0, completed: 0, late: 0, failed: 0, dor: 0, plannedDor: null, energyJ: 0, plans: 0, planner: null }));
    return r;
  }

  task(msg, slot) {
    const id = Number(msg.task_id);
    if (this.taskSlot.has(id)) return;
    this.taskSlot.set(id, slot);
    this.row(slot).released++;
  }

  plan(msg) {
    if (NON_SLOT.has(msg.planner)) return;
    const r = this.row(msg.slot);
    r.plans++;
    r.plannedDor = msg.objective;
    r.planner = msg.planner;
    for (const a of msg.assignments) this.taskSlot.set(Number(a.task_id), msg.slot);
  }

  completion(c) {
    if (c.subtask_id) return; // dependent subtasks do not enter the DOR (an S3 quantity)
    const id = Number(c.task_id);
    const slot = this.taskSlot.get(id);
    if (slot === undefined || this.done.has(id)) return;
    this.done.add(id);
    const r = this.row(slot);
    r.completed++;
    if (c.late) r.late++;
    if (c.failed) return void r.failed++;
    if (c.site === 2 && c.local_s > 0) {
      const start = Number(c.service_start_t_us) || Number(c.release_t_us);
      r.dor += 1 - (Number(c.done_t_us) - start) / 1e6 / c.local_s;
    }
  }

  /** Energy of the whole fleet (J) as the slot's energy; called on every twin, the last before the next slot wins. */
  energy(slot, totalJ) {
    this.row(slot).energyJ = totalJ;
  }

  /** Rows up to `slot`, in order. */
  upTo(slot) {
    return [...this.rows.values()].filter((r) => r.slot <= slot).sort((a, b) => a.slot - b.slot);
  }
}
