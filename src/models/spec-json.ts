/**
 * A FeedForwardSpec as a JSON file (the MLP kind's model file, RUN/models/*.json, tagged
 * "kind": "mlp" since the model registry; files without the tag are read as MLPs):
 *
 *   {
 *     "inputNames": ["pt", "eta", ...],                 // feature names in column order
 *     "layers": [{
 *       "weight": [...],                                // nOut·nIn numbers, row-major out×in
 *                                                       //   (PyTorch nn.Linear.weight), or nOut rows of nIn
 *       "bias": [...],                                  // nOut numbers
 *       "nIn": 4, "nOut": 8,
 *       "activation": "tanh"                            // identity|tanh|sigmoid|relu|leaky_relu|gelu|mish
 *     }, ...],
 *     "inputShift": [...], "inputScale": [...]          // optional: x' = (x − shift)·scale
 *   }
 *
 * Optional extra top-level keys (e.g. "format": "fomlab.feedforward/1", "meta": {...}) are ignored.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../core/atomic.js';
import { FomlabError } from '../core/errors.js';
import { LAYER_ACTIVATIONS, checkSpec } from './spec.js';
import type { DenseLayerSpec, FeedForwardSpec, LayerActivation } from './spec.js';

export const FEEDFORWARD_JSON_FORMAT = 'fomlab.feedforward/1';

function floats(v: unknown, path: string, fail: (p: string, m: string) => never): Float32Array {
  if (v === undefined) fail(path, 'is missing');
  if (!Array.isArray(v)) fail(path, 'must be an array of numbers');
  const flat = (v as unknown[]).flat();
  const out = new Float32Array(flat.length);
  flat.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}]`, `must be a finite number, got ${JSON.stringify(x)}`);
    out[i] = x as number;
  });
  return out;
}

/** Builds a FeedForwardSpec from parsed JSON; errors name `source` and the field. */
export function feedForwardSpecFromJson(json: unknown, source = 'model'): FeedForwardSpec {
  const fail = (path: string, msg: string): never => {
    throw new FomlabError(`${source}: ${path} ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('(top level)', 'must be a JSON object');
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.inputNames) || o.inputNames.some((n) => typeof n !== 'string')) fail('inputNames', o.inputNames === undefined ? 'is missing' : 'must be an array of strings');
  if (!Array.isArray(o.layers)) fail('layers', o.layers === undefined ? 'is missing' : 'must be an array');
  const layers = (o.layers as unknown[]).map((l, i): DenseLayerSpec => {
    const p = `layers[${i}]`;
    if (typeof l !== 'object' || l === null) fail(p, 'must be an object');
    const lo = l as Record<string, unknown>;
    for (const k of ['nIn', 'nOut']) if (typeof lo[k] !== 'number') fail(`${p}.${k}`, lo[k] === undefined ? 'is missing' : 'must be a number');
    const act = lo.activation;
    if (typeof act !== 'string' || !LAYER_ACTIVATIONS.includes(act as LayerActivation)) {
      fail(`${p}.activation`, `${act === undefined ? 'is missing' : `'${String(act)}' is unknown`} (one of ${LAYER_ACTIVATIONS.join(', ')})`);
    }
    return { weight: floats(lo.weight, `${p}.weight`, fail), bias: floats(lo.bias, `${p}.bias`, fail), nIn: lo.nIn as number, nOut: lo.nOut as number, activation: act as LayerActivation };
  });
  const spec: FeedForwardSpec = { inputNames: o.inputNames as string[], layers };
  if (o.inputShift !== undefined) spec.inputShift = floats(o.inputShift, 'inputShift', fail);
  if (o.inputScale !== undefined) spec.inputScale = floats(o.inputScale, 'inputScale', fail);
  checkSpec(spec, source);
  return spec;
}

/** The parsed JSON of a model file; errors name the file. */
export function readModelJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FomlabError(code === 'ENOENT' ? `${path}: no such model file` : `${path}: cannot read (${code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FomlabError(`${path}: not a JSON model file (${(e as Error).message})`);
  }
}

/** Reads a FeedForwardSpec JSON file (format above); errors name the file. */
export async function loadFeedForwardSpec(path: string): Promise<FeedForwardSpec> {
  return feedForwardSpecFromJson(readModelJson(path), path);
}

/** The JSON object of a spec (flat row-major weights). */
export function feedForwardSpecToJson(spec: FeedForwardSpec): Record<string, unknown> {
  return {
    format: FEEDFORWARD_JSON_FORMAT,
    inputNames: spec.inputNames,
    layers: spec.layers.map((l) => ({ weight: Array.from(l.weight), bias: Array.from(l.bias), nIn: l.nIn, nOut: l.nOut, activation: l.activation })),
    ...(spec.inputShift ? { inputShift: Array.from(spec.inputShift) } : {}),
    ...(spec.inputScale ? { inputScale: Array.from(spec.inputScale) } : {}),
  };
}

/** Writes a spec as JSON, atomically (float32 values survive the round trip exactly). */
export function saveFeedForwardSpec(spec: FeedForwardSpec, path: string): void {
  checkSpec(spec, path);
  writeFileAtomically(path, JSON.stringify(feedForwardSpecToJson(spec)) + '\n');
}
