// fomlab.models: feed-forward model files, scoring, ONNX export.
export * from '../models/spec.js';
export { encodeOnnx, exportOnnx, DEFAULT_OPSET, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from '../models/onnx.js';
export { loadFeedForwardSpec, saveFeedForwardSpec, feedForwardSpecFromJson, feedForwardSpecToJson, FEEDFORWARD_JSON_FORMAT } from '../models/spec-json.js';
export { scoreColumns } from '../models/score.js';
