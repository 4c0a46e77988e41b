/**
 * The registry of model kinds. A kind is one module (src/models/<kind>.ts) that says how to build
 * a trainable model from its validated options, how a trained one becomes a model file (with its
 * feature scaling), how such a file is read back, scored and exported to ONNX. Config validation,
 * the trainer, judging, `apply`, `export` and `evaluate` look kinds up here and never branch on
 * their names; adding a kind is its module plus one line in `BUILT_IN` below.
 *
 * Model files are JSON with a `kind` tag (files without one, written before the tag existed, are
 * MLPs: 'fomlab.feedforward/1').
 */
import type { z } from 'zod';
import { FomlabError, didYouMean } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { noGrad, tensor, Rng, type Tensor } from '../core/index.js';
import type { OnnxExportOptions } from './onnx.js';
import { mlp } from './mlp.js';
import { gbdt } from './gbdt/kind.js';
import { transformer } from './transformer/kind.js';
import { regions } from './regions.js';
import { affinePnn } from './affine-pnn.js';
import { readModelJson } from './spec-json.js';

/** What the trainer needs of a model: parameters by name and the output probability of rows of an event matrix. */
export interface TrainableModel {
  namedParameters(): Array<[string, Tensor]>;
  parameters(): Tensor[];
  /** output probabilities [n, 1] (or [n]) of the whole matrix x [events, features], with autograd */
  forward(x: Tensor): Tensor;
  /** the same on rows of x (null: all rows), as one autograd op where the kind has a fused kernel */
  forwardRows(x: Tensor, rows: Int32Array | null): Tensor;
  /**
   * true: forwardRows(x, rows) equals forwardRows on those rows copied into a matrix of their own
   * (no per-event random keys, as the transformer's dropout has), so the trainer may lay a batch's
   * features out contiguously beforehand
   */
  readonly rowFree?: boolean;
  /**
   * Optional fused forward + weighted BCE + backward over rows of x (adds ∂L/∂θ into `.grad`,
   * returns L) — the BCE loss uses it when the model offers it (losses/bce.ts).
   */
  bceStep?(x: Tensor, target: Float32Array, weight: Float32Array | null, rows: Int32Array | null): number;
  /** state that is not trained by gradients but saved with the parameters (batch norm's running mean and variance) */
  namedBuffers?(): Array<[string, Tensor]>;
  /** train (true: dropout on, batch statistics) or eval mode (false); the trainer switches to eval for validation */
  train?(mode: boolean): unknown;
}

/** A trained model with its feature scaling, as a model file holds it: scores raw (unscaled) features. */
export interface SavedModel {
  readonly kind: string;
  /** the features it reads, in column order */
  readonly inputNames: string[];
  /** scores of n events, x row-major n × inputNames.length, raw (unscaled) features */
  score(x: Float32Array, n: number): Float32Array;
  /** the model file's JSON object (with `kind`) */
  toJson(): Record<string, unknown>;
  /** ONNX bytes: input 'features' [N, nIn] raw, output 'score' [N, 1] */
  toOnnx(opts?: OnnxExportOptions): Uint8Array;
  /** one line for messages, e.g. '4-8-4-1 mlp (tanh)' */
  describe(): string;
  /** true: NaN (missing) and infinite inputs are scored (trees send NaN along a learned default branch) */
  readonly scoresMissing?: boolean;
}

/** One model kind (src/models/<kind>.ts). O: its validated options (without `kind`). */
export interface ModelKind<O = unknown> {
  readonly kind: string;
  /** schema of the `model:` section's other keys (a strict `section`, with defaults) */
  readonly options: z.ZodType<O>;
  build(nFeatures: number, options: O, rng: Rng): TrainableModel;
  /** the model file content of trained parameters; shift/scale: x' = (x − shift)·scale per feature */
  save(nFeatures: number, options: O, params: Record<string, Float32Array>, inputNames: string[], shift?: Float32Array, scale?: Float32Array): SavedModel;
  /** reads a model file's JSON (errors name `source` and the field) */
  load(json: Record<string, unknown>, source: string): SavedModel;
  /** kinds trained without gradients (boosted trees): the whole training instead of `build` + the epoch loop */
  fit?(input: FitInput<O>): FitResult;
  /** output probabilities of trained parameters on a scaled matrix, for kinds whose parameters have no fixed shape */
  scoreParams?(params: Record<string, Float32Array>, x: Float32Array, nFeatures: number, options?: O): Float32Array;
}

/**
 * Events of each hypothesis with their ε and B coefficients, as CSR rows (src/train/punzi-data.ts builds
 * them): signal events of hypothesis h are sigEvents[sigOffsets[h] … sigOffsets[h+1]), likewise background.
 */
export interface HypothesisRows {
  nHypotheses: number;
  sigOffsets: Int32Array;
  sigEvents: Int32Array;
  sigCoef: Float64Array;
  bkgOffsets: Int32Array;
  bkgEvents: Int32Array;
  bkgCoef: Float64Array;
}

/** One split as a fitted kind sees it (the trainer's SplitArrays). */
export interface FitSplit {
  n: number;
  nFeatures: number;
  /** n × nFeatures, row-major, scaled */
  x: Float32Array;
  labels: Float32Array;
  weights: Float32Array;
  bceWeights: Float32Array;
  /** events of each training hypothesis with their ε and B coefficients (src/train/punzi-data.ts) */
  punzi: HypothesisRows;
}

export interface FitInput<O> {
  train: FitSplit;
  validation: FitSplit;
  options: O;
  /** the training stages: name and the stage's keys (loss, its options) */
  stages: Array<{ name: string; options: Record<string, unknown> }>;
  seed: number;
  sensitivity: { a: number; b: number; lumi: number; form: 'paper' | 'improved' };
  /** the hard validation figure (the trainer's validFom): its value for selection probabilities of the rows of x (scaled, n × nFeatures); the best round follows it */
  figure?: { x: Float32Array; value: (p: Float32Array) => number; better: 'lower' | 'higher' };
  /** the features by name with the trainer's scaling x' = (x − offset)/scale (kinds that read a feature by name: regions) */
  inputs?: FitInputs;
}

/** The feature names and the scaling the trainer's matrix went through. */
export interface FitInputs {
  names: string[];
  offset: number[];
  scale: number[];
}

/** What the trainer keeps of a net (src/train/trainer.ts TrainedNet without its kernels). */
export interface FitResult {
  params: Record<string, Float32Array>;
  snapshots: Record<string, Record<string, Float32Array>>;
  logs: Array<{ stage: string; loss: string; bestEpoch: number; ended: string; epochs: Array<{ epoch: number; trainLoss: number; validLoss: number; validFom: number; lr: number }> }>;
}

/** The `model:` section of a config: a kind and that kind's options. */
export interface ModelConfig {
  kind: string;
  [option: string]: unknown;
}

/** Registration: one line per kind. */
const BUILT_IN: ModelKind<never>[] = [mlp as ModelKind<never>, gbdt as ModelKind<never>, transformer as ModelKind<never>, regions as ModelKind<never>, affinePnn as ModelKind<never>];

const kinds = new Map<string, ModelKind<unknown>>(BUILT_IN.map((k) => [k.kind, k as ModelKind<unknown>]));

/** The kind of a `model:` section without `kind`, and of model files written before the tag existed. */
export const DEFAULT_MODEL_KIND = mlp.kind;

/** Adds a kind at run time (in this thread; worker threads see the built-in kinds). */
export function registerModelKind<O>(k: ModelKind<O>): void {
  if (kinds.has(k.kind)) throw new FomlabError(`model kind '${k.kind}' is registered already`);
  kinds.set(k.kind, k as ModelKind<unknown>);
}

export function modelKindNames(): string[] {
  return [...kinds.keys()];
}

/** The kind named `name`; the error names `where` (e.g. a config key or a file). */
export function modelKind(name: string, where = 'model.kind'): ModelKind<unknown> {
  const k = kinds.get(name);
  if (!k) throw new FomlabError(`${where}: unknown model kind '${name}'${didYouMean(name, kinds.keys())} (one of ${modelKindNames().join(', ')})`);
  return k;
}

/** The options of a `model:` section, validated (and defaulted) by its kind's schema. */
export function modelOptions(cfg: ModelConfig): { kind: ModelKind<unknown>; options: unknown } {
  const kind = modelKind(cfg.kind);
  const { kind: _k, ...rest } = cfg;
  const parsed = kind.options.safeParse(rest);
  if (!parsed.success) throw new FomlabError(`model: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { kind, options: parsed.data };
}

/** A fresh trainable model of the config. */
export function buildModel(nFeatures: number, cfg: ModelConfig, rng: Rng): TrainableModel {
  const { kind, options } = modelOptions(cfg);
  return kind.build(nFeatures, options, rng);
}

/** Plain copies of the parameters by name (what crosses threads and goes into files). */
export function stateOf(model: TrainableModel): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of namedState(model)) out[k] = Float32Array.from(t.data);
  return out;
}

/** Parameters and buffers (running statistics) by name. */
function namedState(model: TrainableModel): Array<[string, Tensor]> {
  return [...model.namedParameters(), ...(model.namedBuffers?.() ?? [])];
}

export function loadState(model: TrainableModel, state: Record<string, Float32Array>): void {
  for (const [k, t] of namedState(model)) {
    const s = state[k];
    if (!s || s.length !== t.data.length) throw new FomlabError(`parameter ${k} missing or of wrong size in the saved state: it was written for another model (model: in the config)`);
    t.data.set(s);
  }
}

/** Output probabilities of trained parameters on a scaled feature matrix x (n × nFeatures, row-major). */
export function scoreMatrix(cfg: ModelConfig, params: Record<string, Float32Array>, x: Float32Array, nFeatures: number): Float32Array {
  const k = modelKind(cfg.kind);
  if (k.scoreParams) return k.scoreParams(params, x, nFeatures, modelOptions(cfg).options);
  const model = buildModel(nFeatures, cfg, new Rng(0));
  loadState(model, params);
  model.train?.(false);
  return noGrad(() => Float32Array.from(model.forward(tensor(x, [x.length / nFeatures, nFeatures])).data));
}

/** The model file content of trained parameters (see `ModelKind.save`). */
export function savedModel(cfg: ModelConfig, params: Record<string, Float32Array>, inputNames: string[], shift?: Float32Array, scale?: Float32Array): SavedModel {
  const { kind, options } = modelOptions(cfg);
  return kind.save(inputNames.length, options, params, inputNames, shift, scale);
}

/** Writes a model file atomically. */
export function saveModelFile(model: SavedModel, path: string): void {
  writeFileAtomically(path, JSON.stringify(model.toJson()) + '\n');
}

/** A model from its file's JSON; the kind comes from its `kind` tag (none: an MLP file of before the tag). */
export function modelFromJson(json: unknown, source = 'model'): SavedModel {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FomlabError(`${source}: (top level) must be a JSON object`);
  const o = json as Record<string, unknown>;
  // an XGBoost JSON model (Booster.save_model) has a `learner` and no tag: the gbdt kind imports it
  const tag = o.kind ?? ('learner' in o ? 'gbdt' : DEFAULT_MODEL_KIND);
  if (typeof tag !== 'string') throw new FomlabError(`${source}: kind must be a string (one of ${modelKindNames().join(', ')})`);
  return modelKind(tag, `${source}: kind`).load(o, source);
}

/** Reads a model file written by `fomlab train` (RUN/models/*.json); errors name the file. */
export function loadModelFile(path: string): SavedModel {
  return modelFromJson(readModelJson(path), path);
}
