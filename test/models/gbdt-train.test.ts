// `fomlab train` with `model: {kind: gbdt, …}` (XGBoost's option names): a run with its summary, report and model
// files; `apply` scores with them; `export --onnx` gives the same probabilities in onnxruntime (1e-6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { runCli } from '../cli-run.js';
import { tinyRun } from '../cli/tiny-run.js';
import { loadModelFile } from '../../src/models/registry.js';
import { readColumns } from '../../src/data/readers/index.js';
import { parseConfig } from '../../src/config/load.js';

test('fomlab train / apply / export --onnx with a gbdt model', async () => {
  const t = await tinyRun();
  try {
    const cfg = t.config('gbdt', {
      stages: [
        '{name: bce, loss: bce, optimizer: sgd, lr: 1, batchSize: 512, epochs: 1}',
        '{name: punzi, loss: punzi, optimizer: adam, lr: 0.01, batchSize: 2000, epochs: 1}',
      ],
    });
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^model: .*$/m, 'model: {kind: gbdt, n_estimators: 15, max_depth: 3, eta: 0.3, lambda: 1, early_stopping_rounds: 5, subsample: 0.8}'));
    const run = join(t.dir, 'run');
    const r = await runCli(['train', cfg, '--out', run]);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { methods: Array<{ name: string }>; masses: unknown[] };
    assert.deepEqual(summary.methods.map((m) => m.name).sort(), ['BCE', 'Punzi'].sort());
    assert.ok(summary.masses.length === 3);
    const modelPath = join(run, 'models', 'punzi.json');
    const json = JSON.parse(readFileSync(modelPath, 'utf8')) as { kind: string; trees: unknown[] };
    assert.equal(json.kind, 'gbdt');
    const bce = JSON.parse(readFileSync(join(run, 'models', 'bce.json'), 'utf8')) as { trees: unknown[] };
    assert.ok(json.trees.length > bce.trees.length, 'the punzi stage adds trees to the bce stage’s');
    // feature importances in the summary and the report: splits per feature = the model file's split nodes
    const imp = (JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { importances: Array<{ method: string; features: string[]; frequency: number[]; meanAbsShap: number[]; shapEvents: number }> }).importances;
    assert.deepEqual(imp.map((i) => i.method).sort(), ['BCE', 'Punzi'].sort());
    const punziImp = imp.find((i) => i.method === 'Punzi')!;
    const splits = (json.trees as Array<{ feature: number[] }>).flatMap((t) => t.feature.filter((f) => f >= 0));
    punziImp.features.forEach((_, j) => assert.equal(punziImp.frequency[j], splits.filter((f) => f === j).length));
    assert.ok(punziImp.shapEvents > 0 && punziImp.meanAbsShap.some((v) => v > 0));
    const rep = await runCli(['report', run]);
    assert.equal(rep.code, 0, rep.err);
    assert.match(readFileSync(join(run, 'report', 'index.html'), 'utf8'), /id="importance-punzi"/);
    // apply writes the model's scores of every event
    const out = join(t.dir, 'scored.csv');
    const a = await runCli(['apply', modelPath, join(t.dir, 'events.parquet'), '--out', out]);
    assert.equal(a.code, 0, a.err);
    const model = loadModelFile(modelPath);
    const ev = await readColumns(join(t.dir, 'events.parquet'));
    const nf = model.inputNames.length, n = (ev.columns.get(model.inputNames[0]) as Float32Array).length;
    const x = new Float32Array(n * nf);
    model.inputNames.forEach((name, j) => { const c = ev.columns.get(name) as Float32Array; for (let i = 0; i < n; i++) x[i * nf + j] = c[i]; });
    const ours = model.score(x, n);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const col = lines[0].split(',').indexOf('score');
    lines.slice(1, 200).forEach((l, i) => assert.ok(Math.abs(Number(l.split(',')[col]) - ours[i]) < 1e-6));
    // ONNX with the feature scaling inside
    const e = await runCli(['export', modelPath, '--onnx', '--out', join(t.dir, 'm.onnx')]);
    assert.equal(e.code, 0, e.err);
    const s = await ort.InferenceSession.create(join(t.dir, 'm.onnx'));
    const res = await s.run({ features: new ort.Tensor('float32', x, [n, nf]) });
    const onnx = res.score.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(onnx[i] - ours[i]));
    assert.ok(worst <= 1e-6, `max |Δp| ${worst}`);
    // a misspelt option: one line naming the key
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('max_depth: 3', 'max_dept: 3'));
    const bad = await runCli(['train', cfg, '--out', join(t.dir, 'run2')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /model\.max_dept: unknown key.*max_depth/);
    assert.ok(!existsSync(join(t.dir, 'run2')));
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test('gbdt options: XGBoost names and aliases, defaults, one line per mistake', () => {
  const parse = (model: string) => parseConfig(`data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\nmodel: ${model}\n`, 'c.yaml').model;
  const m = parse('{kind: gbdt, eta: 0.2, lambda: 0.4, alpha: 0.1, min_split_loss: 0.5, max_depth: 2, n_estimators: 200, fom_objective: asimov}') as Record<string, unknown>;
  assert.equal(m.learning_rate, 0.2);
  assert.equal(m.reg_lambda, 0.4);
  assert.equal(m.reg_alpha, 0.1);
  assert.equal(m.gamma, 0.5);
  assert.equal(m.max_depth, 2);
  assert.equal(m.fom_objective, 'asimov');
  assert.equal(m.subsample, 1, 'XGBoost default');
  const err = (model: string) => { try { parse(model); } catch (e) { return (e as Error).message; } return 'no error'; };
  assert.match(err('{kind: gbdt, eta: 0.2, learning_rate: 0.3}'), /c\.yaml: model\.eta: give learning_rate or its alias eta, not both/);
  assert.match(err('{kind: gbdt, subsample: 1.5}'), /c\.yaml: model\.subsample: expected a number in \(0, 1\]/);
  assert.match(err('{kind: gbdt, grow_policy: lossguid}'), /model\.grow_policy: expected one of depthwise, lossguide/);
});
