/**
 * Reads what a consumer needs to know about an ONNX file before running it: IR version, opset,
 * metadata_props, and graph inputs/outputs with shapes (symbolic dims as strings). Initializers
 * that are also listed as graph inputs (old exporters do this) are excluded from `inputs`.
 */
import { fail, ok, type Result } from '../result.ts';
import { ModelProto, int64ToNumber, type ModelMsg, type ValueInfoMsg } from './proto.ts';

export interface OnnxTensorInfo {
  name: string;
  /** ONNX element type (1 = float32). */
  elemType: number;
  /** Each dim is a size, or the symbolic name (e.g. 'batch'), or null when unknown. */
  shape: (number | string | null)[];
}

export interface OnnxInfo {
  irVersion: number;
  /** Opset of the default ('' or 'ai.onnx') domain; 0 if absent. */
  opset: number;
  /** All imported opsets by domain ('' = default). */
  opsets: Record<string, number>;
  producerName: string;
  metadata: Record<string, string>;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Operator types used by the graph, in node order, deduplicated. */
  ops: string[];
}

export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

function tensorInfo(v: ValueInfoMsg): OnnxTensorInfo {
  const t = v.type?.tensorType;
  return {
    name: v.name,
    elemType: t?.elemType ?? 0,
    shape: (t?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? int64ToNumber(d.dimValue) : null)),
  };
}

/** Decodes the bytes of an .onnx file. Throws `OnnxFormatError` if they are not an ONNX model. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxInfo {
  let msg: ModelMsg;
  try {
    msg = ModelProto.toObject(ModelProto.decode(bytes), { defaults: false, arrays: true }) as ModelMsg;
  } catch (e) {
    throw new OnnxFormatError(`not a valid ONNX protobuf: ${(e as Error).message}`);
  }
  if (!msg.graph) throw new OnnxFormatError('ONNX model has no graph');
  const irVersion = int64ToNumber(msg.irVersion);
  if (irVersion <= 0) throw new OnnxFormatError('ONNX model has no ir_version');
  const opsets: Record<string, number> = {};
  for (const o of msg.opsetImport ?? []) opsets[o.domain ?? ''] = int64ToNumber(o.version);
  const metadata: Record<string, string> = {};
  for (const p of msg.metadataProps ?? []) metadata[p.key] = p.value ?? '';
  const initNames = new Set((msg.graph.initializer ?? []).map((t) => t.name));
  return {
    irVersion,
    opset: opsets[''] ?? opsets['ai.onnx'] ?? 0,
    opsets,
    producerName: msg.producerName ?? '',
    metadata,
    inputs: (msg.graph.input ?? []).filter((v) => !initNames.has(v.name)).map(tensorInfo),
    outputs: (msg.graph.output ?? []).map(tensorInfo),
    ops: [...new Set((msg.graph.node ?? []).map((n) => n.opType))],
  };
}

/** `readOnnxMetadata` as a Result, for boundaries (files from disk or the network). */
export function tryReadOnnxMetadata(bytes: Uint8Array): Result<OnnxInfo, 'onnx_invalid'> {
  try {
    return ok(readOnnxMetadata(bytes));
  } catch (e) {
    if (e instanceof OnnxFormatError) return fail('onnx_invalid', e.message);
    throw e;
  }
}
