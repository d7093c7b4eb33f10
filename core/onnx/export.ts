/**
 * ONNX writer for MLP policies: a chain of Gemm (or MatMul+Add) with Relu/Tanh, optional
 * elementwise input normalisation and output (action) scaling as Mul+Add, float32 throughout,
 * a symbolic batch dimension, and string metadata (see policy-metadata.ts for the contract).
 */
import { AttributeType, DataType, ModelProto, type GraphMsg, type NodeMsg, type TensorMsg, type ValueInfoMsg } from './proto.ts';
import { validateMlp, MlpShapeError, type MlpAffine, type MlpLayer } from './mlp.ts';

export interface ExportMlpOptions extends MlpAffine {
  layers: MlpLayer[];
  /** Graph input name (shape [batch, in]); default 'obs'. */
  inputName?: string;
  /** Graph output name (shape [batch, out]); default 'action'. */
  outputName?: string;
  /** ONNX default-domain opset, 13–17; default 13. */
  opset?: number;
  /** IR version, 3–8 (≤ 8 so older runtimes load it); default 8. */
  irVersion?: number;
  metadata?: Record<string, string>;
  /** 'gemm' (default) emits Gemm; 'matmul' emits MatMul + Add. */
  linear?: 'gemm' | 'matmul';
  producerName?: string;
  docString?: string;
  graphName?: string;
}

/** Float32 values as little-endian raw bytes (TensorProto.raw_data is little-endian by spec). */
function rawFloat32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

function tensor(name: string, dims: number[], values: ArrayLike<number>): TensorMsg {
  return { name, dims, dataType: DataType.FLOAT, rawData: rawFloat32(values) };
}

function valueInfo(name: string, width: number): ValueInfoMsg {
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}

/** Encodes the MLP as an ONNX ModelProto. Throws `MlpShapeError` / `RangeError` on bad input. */
export function exportMlp(opts: ExportMlpOptions): Uint8Array {
  validateMlp(opts.layers, opts);
  const opset = opts.opset ?? 13;
  const irVersion = opts.irVersion ?? 8;
  if (!Number.isInteger(opset) || opset < 13 || opset > 17) throw new RangeError(`opset must be 13–17, got ${opset}`);
  if (!Number.isInteger(irVersion) || irVersion < 3 || irVersion > 8) throw new RangeError(`irVersion must be 3–8, got ${irVersion}`);
  const inputName = opts.inputName ?? 'obs';
  const outputName = opts.outputName ?? 'action';
  if (inputName === outputName) throw new MlpShapeError('input and output names must differ');
  const nIn = opts.layers[0]!.shape[0];
  const nOut = opts.layers[opts.layers.length - 1]!.shape[1];

  const nodes: NodeMsg[] = [];
  const inits: TensorMsg[] = [];
  let cur = inputName;
  let seq = 0;
  /** Appends a node whose output is a fresh name (or `final`), returns that name. */
  const emit = (opType: string, inputs: string[], final?: string, attribute?: NodeMsg['attribute']): string => {
    const out = final ?? `t${seq}`;
    nodes.push({ opType, input: inputs, output: [out], name: `${opType.toLowerCase()}_${seq}`, ...(attribute ? { attribute } : {}) });
    seq++;
    cur = out;
    return out;
  };
  const affine = (scale: ArrayLike<number> | undefined, offset: ArrayLike<number> | undefined, width: number, tag: string, last: boolean) => {
    if (scale !== undefined) {
      inits.push(tensor(`${tag}_scale`, [width], scale));
      emit('Mul', [cur, `${tag}_scale`], last && offset === undefined ? outputName : undefined);
    }
    if (offset !== undefined) {
      inits.push(tensor(`${tag}_offset`, [width], offset));
      emit('Add', [cur, `${tag}_offset`], last ? outputName : undefined);
    }
  };

  affine(opts.inputScale, opts.inputOffset, nIn, 'in', false);
  const hasOutAffine = opts.outputScale !== undefined || opts.outputOffset !== undefined;
  opts.layers.forEach((l, k) => {
    const w = `W${k}`;
    const b = `B${k}`;
    inits.push(tensor(w, [l.shape[0], l.shape[1]], l.weights), tensor(b, [l.shape[1]], l.bias));
    const lastNode = k === opts.layers.length - 1 && !hasOutAffine;
    const linearIsLast = lastNode && l.activation === 'none';
    if ((opts.linear ?? 'gemm') === 'gemm') {
      emit('Gemm', [cur, w, b], linearIsLast ? outputName : undefined, [
        { name: 'alpha', type: AttributeType.FLOAT, f: 1 },
        { name: 'beta', type: AttributeType.FLOAT, f: 1 },
        { name: 'transB', type: AttributeType.INT, i: 0 },
      ]);
    } else {
      emit('MatMul', [cur, w]);
      emit('Add', [cur, b], linearIsLast ? outputName : undefined);
    }
    if (l.activation === 'relu') emit('Relu', [cur], lastNode ? outputName : undefined);
    if (l.activation === 'tanh') emit('Tanh', [cur], lastNode ? outputName : undefined);
  });
  affine(opts.outputScale, opts.outputOffset, nOut, 'out', true);

  const graph: GraphMsg = {
    name: opts.graphName ?? 'uavmec_mlp',
    node: nodes,
    initializer: inits,
    input: [valueInfo(inputName, nIn)],
    output: [valueInfo(outputName, nOut)],
    ...(opts.docString ? { docString: opts.docString } : {}),
  };
  const metadataProps = Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value }));
  const model = {
    irVersion,
    producerName: opts.producerName ?? 'uavmec',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: opset }],
    graph,
    metadataProps,
  };
  const err = ModelProto.verify(model);
  if (err) throw new MlpShapeError(`internal: ModelProto invalid: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
