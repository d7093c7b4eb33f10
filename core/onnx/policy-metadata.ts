/**
 * The metadata contract of uavmec policy models (documented in docs/training.md). Every policy
 * ONNX file carries these `metadata_props` keys; all values are strings, structured ones JSON:
 *
 * - `uavmec.contract`     "1" — version of this contract.
 * - `uavmec.algo`         training algorithm, e.g. "maddpg", "td3".
 * - `uavmec.env`          environment id, e.g. "s3", "s2".
 * - `uavmec.obs_spec`     {"names": [...], "low": [...], "high": [...]} — the RAW observation the
 *                         graph input expects (SI units), one entry per input column.
 * - `uavmec.action_spec`  {"kind": "displacement"|"velocity", "units": "m"|"m/s", "names": [...],
 *                         "low": [...], "high": [...], "motion": [ix, iy, iz]} — graph output
 *                         columns; `motion` lists the output columns of the x/y/z motion command
 *                         (ENU, metres per slot for displacement, m/s for velocity). Columns not in
 *                         `motion` are non-motion decisions (e.g. S2's offloading ratios).
 * - `uavmec.obs_norm`     {"scale": [...], "offset": [...], "in_graph": true|false} — normalised
 *                         obs = raw·scale + offset; if in_graph the graph already applies it (feed
 *                         raw observations), else the consumer must apply it before inference.
 * - `uavmec.training`     JSON object: the training configuration (hyper-parameters, seed, episodes).
 * - `uavmec.git_commit`   commit of the code that trained it ("unknown" outside a checkout).
 * - `uavmec.env_hash`     sha256 (hex, 16 chars) of the canonical JSON of the environment config.
 * - `uavmec.agent`        which agent this actor drives: "0", "1", … or "shared" (one actor for all).
 * - `uavmec.num_agents`   number of agents in the environment the policy was trained in.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../result.ts';

export const POLICY_CONTRACT_VERSION = '1';

export interface ObsSpec { names: string[]; low: number[]; high: number[] }
export interface ActionSpec {
  kind: 'displacement' | 'velocity';
  units: string;
  names: string[];
  low: number[];
  high: number[];
  /** Output columns of the x, y, z motion command. */
  motion: [number, number, number];
}
export interface ObsNorm { scale: number[]; offset: number[]; inGraph: boolean }

export interface PolicyMetadata {
  algo: string;
  env: string;
  obsSpec: ObsSpec;
  actionSpec: ActionSpec;
  obsNorm: ObsNorm;
  training: Record<string, unknown>;
  gitCommit: string;
  envHash: string;
  agent: string;
  numAgents: number;
}

export const POLICY_KEYS = {
  contract: 'uavmec.contract',
  algo: 'uavmec.algo',
  env: 'uavmec.env',
  obsSpec: 'uavmec.obs_spec',
  actionSpec: 'uavmec.action_spec',
  obsNorm: 'uavmec.obs_norm',
  training: 'uavmec.training',
  gitCommit: 'uavmec.git_commit',
  envHash: 'uavmec.env_hash',
  agent: 'uavmec.agent',
  numAgents: 'uavmec.num_agents',
} as const;

/** PolicyMetadata → metadata_props strings. */
export function encodePolicyMetadata(m: PolicyMetadata): Record<string, string> {
  return {
    [POLICY_KEYS.contract]: POLICY_CONTRACT_VERSION,
    [POLICY_KEYS.algo]: m.algo,
    [POLICY_KEYS.env]: m.env,
    [POLICY_KEYS.obsSpec]: JSON.stringify(m.obsSpec),
    [POLICY_KEYS.actionSpec]: JSON.stringify(m.actionSpec),
    [POLICY_KEYS.obsNorm]: JSON.stringify({ scale: m.obsNorm.scale, offset: m.obsNorm.offset, in_graph: m.obsNorm.inGraph }),
    [POLICY_KEYS.training]: JSON.stringify(m.training),
    [POLICY_KEYS.gitCommit]: m.gitCommit,
    [POLICY_KEYS.envHash]: m.envHash,
    [POLICY_KEYS.agent]: m.agent,
    [POLICY_KEYS.numAgents]: String(m.numAgents),
  };
}

export type PolicyMetadataError = 'metadata_missing' | 'metadata_invalid';

const isNumArr = (v: unknown, n?: number): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && (n === undefined || v.length === n);
const isStrArr = (v: unknown, n?: number): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string') && (n === undefined || v.length === n);

/** metadata_props → PolicyMetadata, validating every field (lengths agree, kinds known). */
export function decodePolicyMetadata(props: Record<string, string>): Result<PolicyMetadata, PolicyMetadataError> {
  for (const key of Object.values(POLICY_KEYS)) {
    if (props[key] === undefined) return fail('metadata_missing', key);
  }
  if (props[POLICY_KEYS.contract] !== POLICY_CONTRACT_VERSION) return fail('metadata_invalid', `unsupported ${POLICY_KEYS.contract} '${props[POLICY_KEYS.contract]}'`);
  const json = (key: string): unknown => {
    try {
      return JSON.parse(props[key]!);
    } catch {
      return undefined;
    }
  };
  const obs = json(POLICY_KEYS.obsSpec) as Partial<ObsSpec> | undefined;
  if (!obs || !isStrArr(obs.names) || !isNumArr(obs.low, obs.names.length) || !isNumArr(obs.high, obs.names.length)) {
    return fail('metadata_invalid', `${POLICY_KEYS.obsSpec}: needs names, low, high of equal length`);
  }
  const act = json(POLICY_KEYS.actionSpec) as Partial<ActionSpec> | undefined;
  if (
    !act || (act.kind !== 'displacement' && act.kind !== 'velocity') || typeof act.units !== 'string' || !isStrArr(act.names) ||
    !isNumArr(act.low, act.names.length) || !isNumArr(act.high, act.names.length) || !isNumArr(act.motion, 3) ||
    !act.motion.every((i) => Number.isInteger(i) && i >= 0 && i < act.names!.length)
  ) {
    return fail('metadata_invalid', `${POLICY_KEYS.actionSpec}: needs kind displacement|velocity, units, names/low/high of equal length, motion [ix,iy,iz]`);
  }
  const norm = json(POLICY_KEYS.obsNorm) as { scale?: unknown; offset?: unknown; in_graph?: unknown } | undefined;
  if (!norm || !isNumArr(norm.scale, obs.names.length) || !isNumArr(norm.offset, obs.names.length) || typeof norm.in_graph !== 'boolean') {
    return fail('metadata_invalid', `${POLICY_KEYS.obsNorm}: needs scale, offset (obs length) and in_graph`);
  }
  const training = json(POLICY_KEYS.training);
  if (typeof training !== 'object' || training === null || Array.isArray(training)) return fail('metadata_invalid', `${POLICY_KEYS.training}: not a JSON object`);
  const numAgents = Number(props[POLICY_KEYS.numAgents]);
  if (!Number.isInteger(numAgents) || numAgents < 1) return fail('metadata_invalid', `${POLICY_KEYS.numAgents}: not a positive integer`);
  return ok({
    algo: props[POLICY_KEYS.algo]!,
    env: props[POLICY_KEYS.env]!,
    obsSpec: { names: obs.names, low: obs.low, high: obs.high },
    actionSpec: { kind: act.kind, units: act.units, names: act.names, low: act.low, high: act.high, motion: act.motion as [number, number, number] },
    obsNorm: { scale: norm.scale, offset: norm.offset, inGraph: norm.in_graph },
    training: training as Record<string, unknown>,
    gitCommit: props[POLICY_KEYS.gitCommit]!,
    envHash: props[POLICY_KEYS.envHash]!,
    agent: props[POLICY_KEYS.agent]!,
    numAgents,
  });
}

/** JSON with object keys sorted recursively, so equal configs hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** `uavmec.env_hash`: first 16 hex chars of sha256(canonicalJson(config)). */
export function envHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}
