/**
 * ONNX export of a feed-forward net: input `features` float [N, nIn] (dynamic batch N), output
 * `score` float [N, 1]. Scaling as Sub/Mul with initializers, each layer a Gemm (transB = 1, the
 * PyTorch weight layout) followed by its activation node.
 */
import { readFileSync } from 'node:fs';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { ATTR_FLOAT, ATTR_INT, ONNX_FLOAT, modelProtoType } from './onnx-proto.js';
import { LEAKY_RELU_SLOPE, checkSpec } from './spec.js';
import type { FeedForwardSpec, LayerActivation } from './spec.js';

export interface OnnxExportOptions {
  /** Default opset 17 (runs on onnxruntime ≥ 1.14); GELU becomes one Gelu node from opset 20, else Erf arithmetic; Mish one node from 18, else Softplus/Tanh/Mul. */
  opset?: number;
  /** Name of the graph (default 'fomlab_feedforward'). */
  graphName?: string;
  /** Extra key/value pairs stored in the model's metadata_props. */
  metadata?: Record<string, string>;
}

export const ONNX_INPUT = 'features';
export const ONNX_OUTPUT = 'score';
export const DEFAULT_OPSET = 17;

/** IR version that goes with an opset (onnx/helper.py VERSION_TABLE). */
export function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return opset <= 22 ? 10 : 11;
}

export function fomlabVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Little-endian float32 bytes (ONNX raw_data is always little-endian). */
export function rawFloats(a: Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  return out;
}

interface Node { input: string[]; output: string[]; name: string; opType: string; attribute?: object[] }
interface Initializer { name: string; dims: number[]; dataType: number; rawData: Uint8Array }

/** TensorProto.DataType.INT64 (Reshape shapes, Slice bounds) */
const ONNX_INT64 = 7;

/** Nodes and initializers of one graph, in order. */
export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Initializer[] = [];
  private count = 0;

  tensor(name: string, values: Float32Array, dims: number[]): string {
    this.initializers.push({ name, dims, dataType: ONNX_FLOAT, rawData: rawFloats(values) });
    return name;
  }
  /** an int64 initializer (little-endian raw data) */
  int64s(name: string, values: readonly number[]): string {
    const raw = new Uint8Array(values.length * 8), view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], dataType: ONNX_INT64, rawData: raw });
    return name;
  }
  scalar(name: string, v: number): string {
    return this.tensor(name, new Float32Array([v]), []);
  }
  node(opType: string, input: string[], output?: string, attribute?: object[]): string {
    const out = output ?? `t${this.count++}`;
    this.nodes.push({ input, output: [out], name: `${opType}_${this.nodes.length}`, opType, ...(attribute ? { attribute } : {}) });
    return out;
  }
}

/** Appends the activation; returns the name of its output (the input itself for identity). */
export function activation(g: GraphBuilder, a: LayerActivation, x: string, layer: number, opset: number, output?: string): string {
  switch (a) {
    case 'identity': return output ? g.node('Identity', [x], output) : x;
    case 'tanh': return g.node('Tanh', [x], output);
    case 'sigmoid': return g.node('Sigmoid', [x], output);
    case 'relu': return g.node('Relu', [x], output);
    case 'leaky_relu': return g.node('LeakyRelu', [x], output, [{ name: 'alpha', type: ATTR_FLOAT, f: LEAKY_RELU_SLOPE }]);
    case 'gelu': {
      if (opset >= 20) return g.node('Gelu', [x], output);
      // gelu(x) = 0.5 · x · (1 + erf(x / √2))
      const half = g.scalar(`gelu${layer}_half`, 0.5), one = g.scalar(`gelu${layer}_one`, 1), rt2 = g.scalar(`gelu${layer}_sqrt2`, Math.SQRT2);
      const e = g.node('Erf', [g.node('Div', [x, rt2])]);
      return g.node('Mul', [g.node('Mul', [x, half]), g.node('Add', [e, one])], output);
    }
    // Mish is an operator from opset 18; before, x · tanh(softplus(x))
    case 'mish': return opset >= 18 ? g.node('Mish', [x], output) : g.node('Mul', [x, g.node('Tanh', [g.node('Softplus', [x])])], output);
  }
}

/** The ONNX ModelProto of `spec`, encoded as bytes. */
export function encodeOnnx(spec: FeedForwardSpec, opts: OnnxExportOptions = {}): Uint8Array {
  checkSpec(spec);
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 13 || opset > 23) throw new FomlabError(`ONNX opset ${opset} is not supported (use 13 to 23)`);
  const nIn = spec.layers[0].nIn;
  const g = new GraphBuilder();
  let x = ONNX_INPUT;
  if (spec.inputShift) x = g.node('Sub', [x, g.tensor('input_shift', spec.inputShift, [nIn])]);
  if (spec.inputScale) x = g.node('Mul', [x, g.tensor('input_scale', spec.inputScale, [nIn])]);
  spec.layers.forEach((l, i) => {
    const last = i === spec.layers.length - 1;
    const w = g.tensor(`layer${i}_weight`, l.weight, [l.nOut, l.nIn]);
    const b = g.tensor(`layer${i}_bias`, l.bias, [l.nOut]);
    const y = g.node('Gemm', [x, w, b], last && l.activation === 'identity' ? ONNX_OUTPUT : undefined, [{ name: 'transB', type: ATTR_INT, i: 1 }]);
    x = last && l.activation === 'identity' ? y : activation(g, l.activation, y, i, opset, last ? ONNX_OUTPUT : undefined);
  });
  return encodeGraph(g, { nIn, inputNames: spec.inputNames, opset, graphName: opts.graphName ?? 'fomlab_feedforward', metadata: opts.metadata, docString: `feed-forward classifier; inputs in this order: ${spec.inputNames.join(', ')}` });
}

/** The ModelProto bytes of a graph from input `features` [N, nIn] to output `score` [N, 1]. */
export function encodeGraph(g: GraphBuilder, o: { nIn: number; inputNames: string[]; opset: number; graphName: string; docString: string; metadata?: Record<string, string> }): Uint8Array {
  const tensorType = (dims: object[]) => ({ tensorType: { elemType: ONNX_FLOAT, shape: { dim: dims } } });
  const metadata = { 'fomlab.input_names': JSON.stringify(o.inputNames), ...o.metadata };
  const model = {
    irVersion: irVersionFor(o.opset),
    opsetImport: [{ domain: '', version: o.opset }],
    producerName: 'fomlab',
    producerVersion: fomlabVersion(),
    modelVersion: 1,
    docString: o.docString,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: o.graphName,
      node: g.nodes,
      initializer: g.initializers,
      input: [{ name: ONNX_INPUT, type: tensorType([{ dimParam: 'N' }, { dimValue: o.nIn }]), docString: o.inputNames.join(',') }],
      output: [{ name: ONNX_OUTPUT, type: tensorType([{ dimParam: 'N' }, { dimValue: 1 }]) }],
    },
  };
  const T = modelProtoType();
  return T.encode(T.fromObject(model)).finish();
}

/** Writes the ONNX model of `spec` to `path` atomically. */
export function exportOnnx(spec: FeedForwardSpec, path: string, opts: OnnxExportOptions = {}): void {
  writeFileAtomically(path, encodeOnnx(spec, opts));
}
