/**
 * ONNX export of a forest: one ai.onnx.ml TreeEnsembleClassifier (opset 3) with post_transform LOGISTIC,
 * base_values = the base raw score, classes 0/1 with the leaf values as class-1 weights (the binary form
 * onnxmltools writes for XGBoost). NaN follows nodes_missing_value_tracks_true (true = the "x < threshold" branch).
 * Input 'features' float [N, nIn]; outputs 'label' int64 [N], 'probabilities' float [N, 2] and
 * 'score' float [N, 1] = probabilities[:, 1] (the fomlab model contract).
 */
import { writeFileAtomically } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { ONNX_FLOAT, modelProtoType } from '../onnx-proto.js';
import { DEFAULT_OPSET, ONNX_INPUT, ONNX_OUTPUT, fomlabVersion, irVersionFor, rawFloats, type OnnxExportOptions } from '../onnx.js';
import type { Forest } from './forest.js';

// onnx.proto AttributeProto.AttributeType and TensorProto.DataType
const FLOATS = 6, INTS = 7, STRING = 3, STRINGS = 8, INT64 = 7;

/** scaling: x' = (x − shift)·scale per feature before the trees (Sub, Mul), as the model file applies it */
export function encodeForestOnnx(f: Forest, opts: OnnxExportOptions = {}, scaling?: { shift: Float32Array; scale: Float32Array }): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 13 || opset > 23) throw new FomlabError(`ONNX opset ${opset} is not supported (use 13 to 23)`);
  const nIn = f.inputNames.length;
  const a = { treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], values: [] as number[], modes: [] as Uint8Array[], trueIds: [] as number[], falseIds: [] as number[], missingTrue: [] as number[] };
  const c = { treeIds: [] as number[], nodeIds: [] as number[], classIds: [] as number[], weights: [] as number[] };
  const enc = new TextEncoder(), LT = enc.encode('BRANCH_LT'), LEAF = enc.encode('LEAF');
  f.trees.forEach((t, k) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.feature[i] < 0;
      a.treeIds.push(k); a.nodeIds.push(i); a.featureIds.push(leaf ? 0 : t.feature[i]); a.values.push(leaf ? 0 : t.threshold[i]);
      a.modes.push(leaf ? LEAF : LT); a.trueIds.push(leaf ? 0 : t.left[i]); a.falseIds.push(leaf ? 0 : t.right[i]); a.missingTrue.push(leaf ? 0 : t.defaultLeft[i]);
      if (leaf) { c.treeIds.push(k); c.nodeIds.push(i); c.classIds.push(0); c.weights.push(t.value[i]); }
    }
  });
  const ints = (name: string, v: number[]) => ({ name, type: INTS, ints: v });
  const floats = (name: string, v: number[]) => ({ name, type: FLOATS, floats: v });
  const attribute = [
    ints('nodes_treeids', a.treeIds), ints('nodes_nodeids', a.nodeIds), ints('nodes_featureids', a.featureIds), floats('nodes_values', a.values),
    { name: 'nodes_modes', type: STRINGS, strings: a.modes }, ints('nodes_truenodeids', a.trueIds), ints('nodes_falsenodeids', a.falseIds),
    ints('nodes_missing_value_tracks_true', a.missingTrue),
    ints('class_treeids', c.treeIds), ints('class_nodeids', c.nodeIds), ints('class_ids', c.classIds), floats('class_weights', c.weights),
    ints('classlabels_int64s', [0, 1]), floats('base_values', [f.baseMargin]), { name: 'post_transform', type: STRING, s: enc.encode('LOGISTIC') },
  ];
  const int64 = (name: string, v: number[]) => ({ name, dims: [v.length], dataType: INT64, int64Data: v });
  const tensorType = (elemType: number, dims: object[]) => ({ tensorType: { elemType, shape: { dim: dims } } });
  const model = {
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: '', version: opset }, { domain: 'ai.onnx.ml', version: 3 }],
    producerName: 'fomlab',
    producerVersion: fomlabVersion(),
    modelVersion: 1,
    docString: `boosted decision trees (${f.trees.length}); inputs in this order: ${f.inputNames.join(', ')}`,
    metadataProps: Object.entries({ 'fomlab.input_names': JSON.stringify(f.inputNames), ...opts.metadata }).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.graphName ?? 'fomlab_gbdt',
      node: [
        ...(scaling ? [
          { input: [ONNX_INPUT, 'input_shift'], output: ['shifted'], name: 'shift', opType: 'Sub' },
          { input: ['shifted', 'input_scale'], output: ['scaled'], name: 'scale', opType: 'Mul' },
        ] : []),
        { input: [scaling ? 'scaled' : ONNX_INPUT], output: ['label', 'probabilities'], name: 'trees', opType: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', attribute },
        { input: ['probabilities', 'signal_start', 'signal_end', 'class_axis'], output: [ONNX_OUTPUT], name: 'signal_column', opType: 'Slice' },
      ],
      initializer: [
        int64('signal_start', [1]), int64('signal_end', [2]), int64('class_axis', [1]),
        ...(scaling ? [{ name: 'input_shift', dims: [nIn], dataType: ONNX_FLOAT, rawData: rawFloats(scaling.shift) }, { name: 'input_scale', dims: [nIn], dataType: ONNX_FLOAT, rawData: rawFloats(scaling.scale) }] : []),
      ],
      input: [{ name: ONNX_INPUT, type: tensorType(ONNX_FLOAT, [{ dimParam: 'N' }, { dimValue: nIn }]), docString: f.inputNames.join(',') }],
      output: [
        { name: 'label', type: tensorType(INT64, [{ dimParam: 'N' }]) },
        { name: 'probabilities', type: tensorType(ONNX_FLOAT, [{ dimParam: 'N' }, { dimValue: 2 }]) },
        { name: ONNX_OUTPUT, type: tensorType(ONNX_FLOAT, [{ dimParam: 'N' }, { dimValue: 1 }]) },
      ],
    },
  };
  const T = modelProtoType();
  return T.encode(T.fromObject(model)).finish();
}

export function exportForestOnnx(f: Forest, path: string, opts: OnnxExportOptions = {}): void {
  writeFileAtomically(path, encodeForestOnnx(f, opts));
}
