import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MLP, noGrad, Rng, tensor } from '../../src/core/index.js';
import { FomlabError } from '../../src/core/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { buildModel, loadState, loadModelFile, modelFromJson, registerModelKind, savedModel, scoreMatrix, type ModelKind, type SavedModel } from '../../src/models/registry.js';
import { feedForwardSpecFromJson } from '../../src/models/spec-json.js';
import { forwardSpec } from '../../src/models/spec.js';
import { Search } from '../../src/physics/search.js';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { prepareRun } from '../../src/train/prepare.js';
import { trainNet } from '../../src/train/trainer.js';

const fixture = new URL('../fixtures/model-feedforward-v1.json', import.meta.url).pathname;

test('a model file of before the kind tag loads as an MLP and scores as the feed-forward reference', () => {
  const json = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
  assert.equal(json.kind, undefined);
  const m = loadModelFile(fixture);
  assert.equal(m.kind, 'mlp');
  assert.equal(m.describe(), '4-8-4-1 mlp (tanh, tanh, sigmoid)');
  const x = Float32Array.of(0.1, 0.2, 0.3, 0.4, 3, -2, 0.5, 7, -1, 1, 1, -1);
  assert.deepEqual(m.score(x, 3), forwardSpec(feedForwardSpecFromJson(json), x, 3));
  // written again it carries its kind and is otherwise the same file
  assert.deepEqual(m.toJson(), { kind: 'mlp', ...json });
});

test('model kinds: unknown kinds and options are one clear message naming the file or the config key', () => {
  const json = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
  assert.throws(() => modelFromJson({ ...json, kind: 'cnn' }, 'm.json'), (e: unknown) => e instanceof FomlabError && /^m\.json: kind: unknown model kind 'cnn' \(one of mlp/.test(e.message));
  const cfg = (model: string): string => {
    try {
      parseConfig(`data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\nmodel: ${model}\n`, 'c.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.match(cfg('{kind: cnn}'), /c\.yaml: model\.kind: expected one of mlp, gbdt, transformer/);
  assert.match(cfg('{hiden: [3]}'), /c\.yaml: model\.hiden: unknown key \(did you mean: hidden\?\)/);
  assert.match(cfg('{activation: swish}'), /model\.activation: expected one of tanh, sigmoid, relu, leaky_relu, gelu, mish/);
  assert.deepEqual(parseConfig('data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\nmodel: {activation: mish}\n').model, { kind: 'mlp', hidden: [8, 4], activation: 'mish', init: 'kaiming_normal', dropout: 0, batchNorm: false });
});

/**
 * A model kind defined outside src/ (logistic regression, p = σ(w·x + b)): registering it is all it
 * takes for the config, the trainer, judging's scoring and model files to use it.
 */
const logisticOptions = z.strictObject({ init: z.enum(['zero', 'random']).default('zero') });
type LogisticOptions = z.infer<typeof logisticOptions>;
function logisticFile(w: Float32Array, b: number, inputNames: string[]): SavedModel {
  return {
    kind: 'logistic', inputNames,
    score: (x, n) => Float32Array.from({ length: n }, (_, i) => {
      let a = b;
      for (let j = 0; j < w.length; j++) a += w[j] * x[i * w.length + j];
      return 1 / (1 + Math.exp(-a));
    }),
    toJson: () => ({ kind: 'logistic', inputNames, w: Array.from(w), b }),
    toOnnx: () => { throw new FomlabError('logistic: no ONNX export'); },
    describe: () => `logistic regression on ${w.length} features`,
  };
}
const logistic: ModelKind<LogisticOptions> = {
  kind: 'logistic',
  options: logisticOptions,
  build: (nf, o, rng) => {
    const net = new MLP([nf, 1], ['sigmoid'], rng);
    if (o.init === 'zero') for (const p of net.parameters()) p.data.fill(0);
    return net;
  },
  save: (nf, _o, params, names) => logisticFile(Float32Array.from(params['0.weight']), params['0.bias'][0], names),
  load: (json) => logisticFile(Float32Array.from(json.w as number[]), json.b as number, json.inputNames as string[]),
};

test('a model kind registered from outside: config, trainer, scoring and model files use it unchanged', () => {
  registerModelKind(logistic);
  const cfg = parseConfig('data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\nmodel: {kind: logistic}\ntraining:\n  stages: [{loss: bce, lr: 1, batchSize: 256, epochs: 3}]\n');
  assert.deepEqual(cfg.model, { kind: 'logistic', init: 'zero' });
  const events = simulateTable({ ...defaultSimulationConfig(), zprimeMasses: [1, 2], signalPerMass: 400, muonFourVectors: false, seed: 8, backgroundScale: { mumu_gamma: 0.2, tautau: 0.03, eemumu: 0.01 } });
  const search = new Search({ hypotheses: { masses: [1, 2] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.3 } });
  const prep = prepareRun(events, search, { split: { train: 0.6, validation: 0.2, test: 0.2, seed: 2 }, scaling: 'standard', generatedPerMass: 400 });
  const net = trainNet({ train: prep.train, validation: prep.validation, seed: 1, model: cfg.model!, stages: cfg.training!.stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' } });
  assert.deepEqual(Object.keys(net.params).sort(), ['0.bias', '0.weight']);
  assert.ok(net.params['0.weight'].some((v) => v !== 0), 'trained away from the zero start');
  // judging's scores (registry) = the trained module's forward pass
  const nf = prep.features.length, x = prep.test.x;
  const judged = scoreMatrix(cfg.model!, net.params, x, nf);
  const module = buildModel(nf, cfg.model!, new Rng(0));
  loadState(module, net.params);
  const direct = noGrad(() => module.forward(tensor(x, [x.length / nf, nf])).data);
  assert.deepEqual(judged, Float32Array.from(direct));
  // its model file round-trips through the registry and scores as the trained model (features already scaled here)
  const file = modelFromJson(JSON.parse(JSON.stringify(savedModel(cfg.model!, net.params, prep.features).toJson())), 'logistic.json');
  assert.equal(file.kind, 'logistic');
  const again = file.score(x, x.length / nf);
  let worst = 0;
  for (let i = 0; i < again.length; i++) worst = Math.max(worst, Math.abs(again[i] - judged[i]));
  assert.ok(worst < 1e-6, `model file vs trained: ${worst}`);
});
