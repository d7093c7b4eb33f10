/**
 * The agent's model directory: ONNX actors identified by content (sha256 of the file), so a plan
 * can name the model to fly by hash (`flight.model_sha256`) and the agent finds it whatever the
 * file is called. The directory is indexed once at start and again when a hash is not found
 * (a model copied in while the agent runs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './verify.ts';

export class ModelDirectory {
  private byHash = new Map<string, string>();

  constructor(readonly dir: string) {
    this.rescan();
  }

  rescan(): void {
    const m = new Map<string, string>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.onnx'));
    } catch {
      // A missing directory holds no models; the plan that asks for one is nacked.
    }
    for (const f of names) {
      const p = join(this.dir, f);
      m.set(sha256Hex(readFileSync(p)), p);
    }
    this.byHash = m;
  }

  hashes(): string[] {
    return [...this.byHash.keys()];
  }

  /** The model's bytes, or undefined when no file in the directory has this hash. */
  read(sha256: string): Uint8Array | undefined {
    const h = sha256.toLowerCase();
    if (!this.byHash.has(h)) this.rescan();
    const p = this.byHash.get(h);
    if (!p) return undefined;
    const bytes = readFileSync(p);
    // The file may have changed since it was indexed: the hash must still match.
    return sha256Hex(bytes) === h ? new Uint8Array(bytes) : undefined;
  }
}

/**
 * The raw observation a policy asks for (obs_spec names), from what the agent knows. Supported
 * names: `x`, `y`, `z` — the UAV's own mission-frame position (east, north, altitude; S3 actors,
 * docs/training.md). Pure.
 */
export function policyObservation(names: readonly string[], own: { eastM: number; northM: number; altM: number }): { obs: number[] } | { missing: string[] } {
  const known: Record<string, number> = { x: own.eastM, y: own.northM, z: own.altM };
  const missing = names.filter((n) => !(n in known));
  if (missing.length) return { missing };
  return { obs: names.map((n) => known[n]!) };
}
