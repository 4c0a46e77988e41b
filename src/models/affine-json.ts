/**
 * The affine pNN's model file (RUN/models/*.json, `kind: affine-pnn`):
 *   { kind, inputNames: [...features, mass], activation, hidden: [{weight, bias, nIn, nOut, scaleWeight,
 *     scaleBias, shiftWeight, shiftBias}], outputWeight: [...], outputBias, inputShift?, inputScale? }
 */
import { FomlabError } from '../core/errors.js';
import { ACTIVATIONS, type Activation } from '../core/kernels/types.js';
import { checkAffineSpec, type AffineLayerSpec, type AffineSpec } from './affine-spec.js';

export function affineSpecToJson(s: AffineSpec): Record<string, unknown> {
  return {
    kind: 'affine-pnn', inputNames: s.inputNames, activation: s.activation,
    hidden: s.hidden.map((l) => ({ weight: [...l.weight], bias: [...l.bias], nIn: l.nIn, nOut: l.nOut, scaleWeight: [...l.scaleWeight], scaleBias: [...l.scaleBias], shiftWeight: [...l.shiftWeight], shiftBias: [...l.shiftBias] })),
    outputWeight: [...s.outputWeight], outputBias: s.outputBias,
    ...(s.inputShift && s.inputScale ? { inputShift: [...s.inputShift], inputScale: [...s.inputScale] } : {}),
  };
}

export function affineSpecFromJson(json: Record<string, unknown>, source: string): AffineSpec {
  const fail = (path: string, m: string): never => { throw new FomlabError(`${source}: ${path} ${m}`); };
  const floats = (v: unknown, path: string): Float32Array => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(path, 'must be an array of finite numbers');
    return Float32Array.from(v as number[]);
  };
  const int = (v: unknown, path: string): number => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(path, 'must be a positive whole number'));
  const names = json.inputNames;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail('inputNames', 'must be an array of strings');
  const a = json.activation;
  if (typeof a !== 'string' || !ACTIVATIONS.includes(a as Activation)) fail('activation', `must be one of ${ACTIVATIONS.join(', ')}`);
  if (!Array.isArray(json.hidden)) fail('hidden', 'must be an array of layers');
  const hidden = (json.hidden as Array<Record<string, unknown>>).map((l, i): AffineLayerSpec => ({
    weight: floats(l.weight, `hidden[${i}].weight`), bias: floats(l.bias, `hidden[${i}].bias`), nIn: int(l.nIn, `hidden[${i}].nIn`), nOut: int(l.nOut, `hidden[${i}].nOut`),
    scaleWeight: floats(l.scaleWeight, `hidden[${i}].scaleWeight`), scaleBias: floats(l.scaleBias, `hidden[${i}].scaleBias`),
    shiftWeight: floats(l.shiftWeight, `hidden[${i}].shiftWeight`), shiftBias: floats(l.shiftBias, `hidden[${i}].shiftBias`),
  }));
  if (typeof json.outputBias !== 'number') fail('outputBias', 'must be a number');
  const spec: AffineSpec = {
    inputNames: names as string[], activation: a as Activation, hidden, outputWeight: floats(json.outputWeight, 'outputWeight'), outputBias: json.outputBias as number,
    ...(json.inputShift !== undefined ? { inputShift: floats(json.inputShift, 'inputShift'), inputScale: floats(json.inputScale, 'inputScale') } : {}),
  };
  checkAffineSpec(spec, source);
  return spec;
}
