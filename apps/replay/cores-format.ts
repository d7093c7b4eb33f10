/** The text of a replay of a run several planning cores planned (cores.ts): one line per core. */
import type { CheckResult } from './check.ts';
import type { CoresReplay } from './cores.ts';

const nameOf = (c: { id: string; epoch: number }) => (c.epoch ? `${c.id} (epoch ${c.epoch})` : c.id);

export function formatCores(r: Omit<CoresReplay, 'check' | 'pools'>, check: CheckResult, planner: string): string[] {
  const sharded = r.cores.some((c) => c.id.startsWith('shard-'));
  const what = sharded ? 'shards' : 'leader tenures';
  const out = [`Replayed ${r.cores.length} planning cores (${what}) with the recorded planner (${planner}), each through the controller's planning core from its own recorded inputs: ${check.identical}/${check.compared} plans byte-identical.`];
  for (const c of r.cores) {
    const slots = c.slots ? (c.slots[0] === c.slots[1] ? `slot ${c.slots[0]}` : `slots ${c.slots[0]}–${c.slots[1]}`) : 'no slot';
    const gone = c.unpublished ? `; its last step (slot ${c.unpublished.slot}, ${c.unpublished.plans} plans) is not in the recording: it stopped between publishing the step's inputs and its plans` : '';
    const end = c.closed ? '' : `; its inputs end before the mission closed (the controller stopped)${gone}`;
    out.push(`  ${nameOf(c)}: ${slots}, ${c.steps} planning steps, ${c.identical}/${c.compared} of its plans byte-identical${end}`);
  }
  for (const [planner, n] of Object.entries(r.outsideCore)) out.push(`Not re-made: ${n} ${planner} plans (made outside the planning core, by the shard's balance; not in PlanningInputs).`);
  for (const x of r.conflicts) out.push(`Conflict: slot ${x.slot}, UAV ${x.uavId}${x.epoch ? `, epoch ${x.epoch}` : ''} re-made by ${x.cores.join(' and ')}.`);
  return out;
}
