/**
 * What the agent package (`npm run pack:agent`) may depend on: the npm packages of the agent's
 * import closure (test/agent/boundary.test.ts checks the closure names no other).
 */
import fs from 'node:fs';
import path from 'node:path';

export const AGENT_PACKAGES = ['mqtt', 'protobufjs', 'pino', 'node-mavlink', 'serialport', 'onnxruntime-node'] as const;

/** onnxruntime-node's native binaries per platform (bin/napi-v6/<os>/<arch>), as `node -p process.platform + '-' + process.arch` names them. */
export const ORT_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'] as const;

/** Bytes of the regular files below `dir` (what an installed package occupies). */
export function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}
