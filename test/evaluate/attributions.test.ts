// Integrated gradients (Sundararajan et al. 2017; issue 16): exact on a linear model, completeness
// Σ IG = f(x) − mean f(x′) within 1e-3 at 64 steps for an MLP and a BatchNorm/Mish/dropout net in
// eval mode, agreement with an independent float64 integral of finite-difference gradients
// (1000 midpoint steps), and baselines drawn ∝ weight; then `fomlab explain` on a tiny run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linear, MLP, noGrad, RegularisedMLP, Rng, tensor, Tensor } from '../../src/core/index.js';
import { completenessGap, drawBaselines, integratedGradients, pathWeights } from '../../src/evaluate/attributions.js';
import { main } from '../../src/cli/main.js';
import { readRunSummary } from '../../src/report/validate.js';
import { reportPlots } from '../../src/report/index.js';
import { tinyRun } from '../cli/tiny-run.js';

const nF = 3;
const events = (n: number, seed: number): Float32Array => { const r = new Rng(seed); return Float32Array.from({ length: n * nF }, () => r.normal() * 1.5); };

test('path weights: trapezoid ½,1,…,1,½ over m and right Riemann 0,1,…,1 over m, each summing to 1', () => {
  assert.deepEqual([...pathWeights(4, 'trapezoid')], [0.125, 0.25, 0.25, 0.25, 0.125]);
  assert.deepEqual([...pathWeights(4, 'riemann')], [0, 0.25, 0.25, 0.25, 0.25]);
  assert.throws(() => pathWeights(0, 'trapezoid'), /steps must be a whole number ≥ 1/);
});

test('linear f(x) = w·x + c: IG_i = w_i (x_i − x′_i) exactly, averaged over the baselines', () => {
  const w = tensor([[0.5, -2, 1.25]]), b = tensor([0.3]);
  const f = (x: Tensor): Tensor => linear(x, w, b);
  const x = events(5, 1), base = events(5 * 2, 2);
  const a = integratedGradients(f, x, nF, base, 2, { steps: 8, rule: 'riemann' });
  for (let e = 0; e < 5; e++) {
    for (let i = 0; i < nF; i++) {
      const want = (w.data[i] * (x[e * nF + i] - base[(2 * e) * nF + i]) + w.data[i] * (x[e * nF + i] - base[(2 * e + 1) * nF + i])) / 2;
      assert.ok(Math.abs(a.values[e * nF + i] - want) < 1e-5, `event ${e} feature ${i}: ${a.values[e * nF + i]} vs ${want}`);
    }
  }
  assert.ok(completenessGap(a) < 1e-5);
});

test('completeness within 1e-3 at 64 steps: MLP (tanh) and BatchNorm + Mish + dropout net in eval mode', () => {
  const rng = new Rng(5);
  const mlp = new MLP([nF, 16, 8, 1], ['tanh', 'tanh', 'sigmoid'], rng);
  const dnn = new RegularisedMLP([nF, 32, 32, 1], 'mish', { dropout: 0.2, batchNorm: true }, rng);
  // running statistics away from (0, 1), as after training
  for (const bn of dnn.norms) { bn!.running_mean!.data.fill(0.2); bn!.running_var!.data.fill(2.5); bn!.weight!.data.fill(1.3); }
  dnn.eval();
  const x = events(60, 6), base = events(60 * 4, 7);
  for (const [name, net] of [['mlp', mlp], ['dnn', dnn]] as const) {
    const f = (t: Tensor): Tensor => net.forward(t);
    const trap = completenessGap(integratedGradients(f, x, nF, base, 4, { steps: 64 }));
    const riem = completenessGap(integratedGradients(f, x, nF, base, 4, { steps: 64, rule: 'riemann' }));
    assert.ok(trap < 1e-3, `${name}: trapezoid gap ${trap}`);
    assert.ok(trap < riem, `${name}: the trapezoid rule (${trap}) beats the Riemann sum (${riem})`);
  }
});

test('IG at 64 trapezoid steps = float64 ∫ of central finite-difference gradients (1000 midpoint steps) to 2e-4', () => {
  const net = new RegularisedMLP([nF, 12, 12, 1], 'mish', { dropout: 0, batchNorm: true }, new Rng(8));
  net.eval();
  const x = events(3, 9), base = events(3, 10);
  const a = integratedGradients((t) => net.forward(t), x, nF, base, 1, { steps: 64 });
  const net64 = new RegularisedMLP([nF, 12, 12, 1], 'mish', { dropout: 0, batchNorm: true }, new Rng(8)).toDtype('float64');
  net64.eval();
  const f = (v: number[]): number => noGrad(() => net64.forward(tensor([v], undefined, { dtype: 'float64' })).data[0]);
  const M = 1000, h = 1e-5;
  for (let e = 0; e < 3; e++) {
    const xe = Array.from(x.subarray(e * nF, (e + 1) * nF)), be = Array.from(base.subarray(e * nF, (e + 1) * nF));
    for (let i = 0; i < nF; i++) {
      let s = 0;
      for (let k = 0; k < M; k++) {
        const p = be.map((bj, j) => bj + ((k + 0.5) / M) * (xe[j] - bj));
        const up = [...p], dn = [...p];
        up[i] += h; dn[i] -= h;
        s += (f(up) - f(dn)) / (2 * h) / M;
      }
      const want = (xe[i] - be[i]) * s;
      assert.ok(Math.abs(a.values[e * nF + i] - want) < 2e-4, `event ${e} feature ${i}: ${a.values[e * nF + i]} vs ${want}`);
    }
  }
});

test('baselines are drawn ∝ weight (each process ∝ σ), never with weight 0, seeded', () => {
  const pool = Float32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  const draws = drawBaselines(pool, nF, [1, 2, 7, 0], 20000, 1, 3);
  const count = [0, 0, 0, 0];
  for (let r = 0; r < 20000; r++) count[draws[r * nF]]++;
  assert.equal(count[3], 0);
  // binomial σ of a fraction over 20000 draws ≤ 0.0035: 0.015 is > 4σ
  [0.1, 0.2, 0.7].forEach((p, k) => assert.ok(Math.abs(count[k] / 20000 - p) < 0.015, `row ${k}: ${count[k] / 20000}`));
  assert.deepEqual([...drawBaselines(pool, nF, [1, 2, 7, 0], 50, 1, 3)], [...draws.subarray(0, 50 * nF)]);
  assert.throws(() => drawBaselines(pool, nF, [0, 0, 0, 0], 5, 1, 3), /no background event with a positive weight/);
});

test('fomlab explain RUN: table of mean |IG|, explain.json with completeness ≤ 1e-3, the summary carries it for the report', async () => {
  const t = await tinyRun();
  const runDir = join(t.dir, 'run');
  assert.equal(await main(['train', t.config('c', { stages: ['{name: bce, loss: bce, optimizer: adamw, lr: 0.01, batchSize: 512, epochs: 2}'] }), '--out', runDir]), 0);
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => { lines.push(String(s)); };
  try {
    assert.equal(await main(['explain', runDir, '--events', '100', '--baselines', '2']), 0);
  } finally {
    console.log = log;
  }
  assert.match(lines[0], /100 test events, 64 steps, 2 baselines per event/);
  const a = JSON.parse(readFileSync(join(runDir, 'explain.json'), 'utf8')) as { completenessGap: number; features: Array<{ feature: string; meanAbs: number }> };
  assert.ok(a.completenessGap <= 1e-3, `gap ${a.completenessGap}`);
  assert.deepEqual(a.features.map((f) => f.feature), ['feature_1', 'feature_2', 'feature_3', 'feature_4']);
  assert.ok(a.features.every((f) => f.meanAbs >= 0) && a.features.some((f) => f.meanAbs > 1e-3));
  const summary = readRunSummary(join(runDir, 'summary.json'));
  assert.equal(summary.judgements!.attributions!.events, 100);
  assert.ok(reportPlots(summary).some((p) => p.id === 'attributions' && p.section === 'Inputs'), 'the report draws the bar plot');
  assert.equal(await main(['explain', runDir, '--steps', '0']), 2, 'a bad option is one clear error');
});
