// fomlab.models: the registry of model kinds (the MLP first), model files, scoring, ONNX export.
export * from '../models/spec.js';
export { encodeOnnx, exportOnnx, DEFAULT_OPSET, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from '../models/onnx.js';
export { loadFeedForwardSpec, saveFeedForwardSpec, feedForwardSpecFromJson, feedForwardSpecToJson, FEEDFORWARD_JSON_FORMAT } from '../models/spec-json.js';
export { scoreColumns } from '../models/score.js';
export { registerModelKind, modelKind, modelKindNames, buildModel, scoreMatrix, savedModel, saveModelFile, loadModelFile, modelFromJson, stateOf, loadState, DEFAULT_MODEL_KIND, type ModelKind, type ModelConfig, type SavedModel, type TrainableModel } from '../models/registry.js';
export { buildMlp, mlpSpec, mlpOptionsSchema, type MlpOptions } from '../models/mlp.js';
export { regions, regionOf, type RegionsOptions } from '../models/regions.js';
export type { FitInputs } from '../models/registry.js';
export { AffinePNN, affinePnn, affineSpecOf, affinePnnOptionsSchema, encodeAffineOnnx, savedAffine, type AffinePnnOptions } from '../models/affine-pnn.js';
export { forwardAffine, scoreAffineAtMasses, type AffineSpec, type AffineLayerSpec } from '../models/affine-spec.js';
