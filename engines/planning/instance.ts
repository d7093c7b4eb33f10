/**
 * One entry point for `uavmec plan`: a JSON instance is either an offloading instance (SPEC §5.1,
 * `users` + `uavs`) or a coalition-game instance (SPEC §5.2, `meds` + `uavs`); `kind` may say which,
 * otherwise it is inferred from the keys. `solve` runs the chosen algorithm and returns the plan
 * with its objective. Pure: parsed JSON in, plain data out. Schema: docs/instance-schema.md.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { planCoalitions, validateCoalitionInstance, type CoalitionAlgo, type CoalitionInstance, type CoalitionPlan } from './coalition/index.ts';
import { planOffloading, validateOffloadInstance, type OffloadAlgo, type OffloadInstance, type OffloadPlan } from './offload/index.ts';

export type PlanAlgo = OffloadAlgo | CoalitionAlgo;
export const OFFLOAD_ALGOS: readonly OffloadAlgo[] = ['cd-kkt', 'ao', 'al'];
export const COALITION_ALGOS: readonly CoalitionAlgo[] = ['coalition', 'grand', 'nash'];
export const PLAN_ALGOS: readonly PlanAlgo[] = [...OFFLOAD_ALGOS, ...COALITION_ALGOS];

export type ParsedInstance = { kind: 'offload'; instance: OffloadInstance } | { kind: 'coalition'; instance: CoalitionInstance };

export function parseInstance(raw: unknown): Result<ParsedInstance, 'invalid-instance'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('invalid-instance', 'instance: expected a JSON object');
  const o = raw as Record<string, unknown>;
  let kind = o.kind;
  if (kind === undefined) {
    if ('meds' in o && !('users' in o)) kind = 'coalition';
    else if ('users' in o && !('meds' in o)) kind = 'offload';
    else return fail('invalid-instance', "instance: cannot tell the kind — give either 'users' (offload) or 'meds' (coalition), or set \"kind\"");
  }
  const { kind: _k, ...rest } = o;
  if (kind === 'offload') {
    const r = validateOffloadInstance(rest);
    return r.ok ? ok({ kind: 'offload', instance: r.value }) : r;
  }
  if (kind === 'coalition') {
    const r = validateCoalitionInstance(rest);
    return r.ok ? ok({ kind: 'coalition', instance: r.value }) : r;
  }
  return fail('invalid-instance', `instance.kind: expected "offload" or "coalition", got ${JSON.stringify(kind)}`);
}

export interface PlanOutput {
  kind: ParsedInstance['kind'];
  algo: PlanAlgo;
  /** What the algorithm maximises: DOR (SPEC §5.1) or Σ of the serving coalitions' worth v(g) (SPEC §5.2). */
  objective: { name: 'dor' | 'coalition-worth'; value: number };
  plan: OffloadPlan | CoalitionPlan;
}

/** The default algorithm of each kind. */
export const defaultAlgo = (kind: ParsedInstance['kind']): PlanAlgo => (kind === 'offload' ? 'cd-kkt' : 'coalition');

export function solve(p: ParsedInstance, algo: PlanAlgo = defaultAlgo(p.kind)): Result<PlanOutput, 'algo-mismatch'> {
  if (p.kind === 'offload') {
    if (!(OFFLOAD_ALGOS as readonly string[]).includes(algo)) return fail('algo-mismatch', `--algo ${algo} plans coalition instances; an offload instance takes ${OFFLOAD_ALGOS.join(', ')}`);
    const plan = planOffloading(p.instance, algo as OffloadAlgo);
    return ok({ kind: p.kind, algo, objective: { name: 'dor', value: plan.dor }, plan });
  }
  if (!(COALITION_ALGOS as readonly string[]).includes(algo)) return fail('algo-mismatch', `--algo ${algo} plans offload instances; a coalition instance takes ${COALITION_ALGOS.join(', ')}`);
  const plan = planCoalitions(p.instance, algo as CoalitionAlgo);
  return ok({ kind: p.kind, algo, objective: { name: 'coalition-worth', value: plan.totalWorth }, plan });
}
