/**
 * Loads the `.proto` files of `proto/uavmec/v1/` at run time with protobufjs: the files are the
 * contract, and nothing generated from them can drift because the wire code reads them directly.
 * `proto/gen/types.ts` (TypeScript shapes of the messages) is generated from the same reflection
 * by `npm run proto:gen`, and a test fails when it is out of date.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const PROTO_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROTO_PACKAGE = 'uavmec.v1';
/** Contract major version carried in every Header; receivers drop anything else. */
export const CONTRACT_VERSION = 1;

export const PROTO_FILES = [
  'uavmec/v1/header.proto',
  'uavmec/v1/coalition.proto',
  'uavmec/v1/twin.proto',
  'uavmec/v1/task.proto',
  'uavmec/v1/video.proto',
  'uavmec/v1/plan.proto',
  'uavmec/v1/events.proto',
  'uavmec/v1/recording.proto',
  'uavmec/v1/planning.proto',
  'uavmec/v1/profile.proto',
  'uavmec/v1/presence.proto',
  'uavmec/v1/leader.proto',
  'uavmec/v1/shard.proto',
] as const;

let cached: protobuf.Root | undefined;

/** The reflected schema (loaded once, with snake_case field names as in the files). */
export function protoRoot(): protobuf.Root {
  if (cached) return cached;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  root.loadSync([...PROTO_FILES], { keepCase: true });
  root.resolveAll();
  cached = root;
  return root;
}

export function lookupType(name: string): protobuf.Type {
  return protoRoot().lookupType(`${PROTO_PACKAGE}.${name}`);
}
