import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { correlationMatrix } from '../../src/evaluate/correlations.js';
import { kolmogorovQ, weightedKs } from '../../src/evaluate/overtraining.js';
import { maxPunziFom } from '../../src/evaluate/punzi-scan.js';
import type { WindowIncidence } from '../../src/physics/windows.js';

const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/judgements.json', import.meta.url), 'utf8')) as {
  ks: { a: number[]; b: number[]; statistic: number; pStephens: number };
  correlation: { columns: number[][]; weights: number[]; matrix: number[][] };
  punzi: { output: number[]; label: number[]; weight: number[]; nGenerated: number; a: number; fom: number; cut: number };
};
const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** One hypothesis whose window holds every event. */
function oneWindow(label: ArrayLike<number>, nGenerated: number): WindowIncidence {
  const sig: number[] = [], bg: number[] = [];
  for (let i = 0; i < label.length; i++) (label[i] >= 0.5 ? sig : bg).push(i);
  return {
    nHypotheses: 1, nEvents: label.length, unmatchedSignal: 0, nGenerated: Float64Array.of(nGenerated),
    signal: { offsets: Int32Array.of(0, sig.length), events: Int32Array.from(sig) },
    background: { offsets: Int32Array.of(0, bg.length), events: Int32Array.from(bg) },
  };
}

test('Kolmogorov tail Q_KS at the textbook critical values (λ 1.3581 → 5 %, 1.6276 → 1 %) and by hand', () => {
  close(kolmogorovQ(1.3581), 0.05, 2e-5, 'Q(1.3581)');
  close(kolmogorovQ(1.6276), 0.01, 2e-5, 'Q(1.6276)');
  // a = 1,2,3,4 vs b = 2.5,3.5,5,6: D = ½ (at t = 2: F_a ½, F_b 0); n = 4·4/8 = 2,
  // λ = (√2 + 0.12 + 0.11/√2)·½ = 0.805998, Q = 2(e^(−2λ²) − e^(−8λ²) + e^(−18λ²)) = 0.534416
  const r = weightedKs(Float64Array.of(1, 2, 3, 4), null, Float64Array.of(2.5, 3.5, 5, 6), null);
  assert.equal(r.statistic, 0.5);
  close(r.pValue, 0.534416, 1e-6, 'p by hand');
  assert.equal(kolmogorovQ(0), 1);
});

test('KS against scipy ks_2samp (ties) and kstwobign with Stephens\' correction', () => {
  const r = weightedKs(Float64Array.from(v.ks.a), null, Float64Array.from(v.ks.b), null);
  close(r.statistic, v.ks.statistic, 1e-12, 'D');
  close(r.pValue, v.ks.pStephens, 1e-9, 'p');
  assert.deepEqual([r.nA, r.nB], [v.ks.a.length, v.ks.b.length]);
});

test('weighted KS: integer weights give the D of repeated events, a common scale changes nothing, negative weights count as 0', () => {
  const a = Float64Array.of(0.1, 0.4, 0.4, 0.7, 0.9), wa = Float64Array.of(2, 1, 3, 1, 2);
  const rep = Float64Array.from([...a].flatMap((x, i) => new Array<number>(wa[i]).fill(x)));
  const b = Float64Array.of(0.2, 0.3, 0.5, 0.8), wb = Float64Array.of(1, 4, 1, 2);
  const repB = Float64Array.from([...b].flatMap((x, i) => new Array<number>(wb[i]).fill(x)));
  const w = weightedKs(a, wa, b, wb), r = weightedKs(rep, null, repB, null);
  close(w.statistic, r.statistic, 1e-15, 'D weighted vs repeated');
  close(w.nA, 81 / 19, 1e-12, 'n_eff = (Σw)²/Σw² = 9²/19');
  const s = weightedKs(a, wa.map((x) => 7 * x), b, wb.map((x) => 0.1 * x));
  close(s.statistic, w.statistic, 1e-15, 'scaled D');
  close(s.pValue, w.pValue, 1e-12, 'scaled p');
  const neg = weightedKs(Float64Array.of(...a, 0.05), Float64Array.of(...wa, -5), b, wb);
  close(neg.statistic, w.statistic, 1e-15, 'negative weight ignored');
  assert.throws(() => weightedKs(a, wa.map(() => -1), b, wb), /no event with positive weight/);
});

test('weighted correlations against numpy np.cov(aweights=…); by hand; constant column 0; negative weights dropped', () => {
  const cols = v.correlation.columns.map((c, j) => ({ name: `x${j}`, values: Float64Array.from(c) }));
  const m = correlationMatrix(cols, Float64Array.from(v.correlation.weights));
  for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) close(m.matrix[j][k], v.correlation.matrix[j][k], 1e-12, `ρ[${j}][${k}]`);
  // x = 1,2,3, y = 2,4,7: Sxy = 5, Sxx = 2, Syy = 114/9 → ρ = 5/√(228/9) = 0.993399
  const h = correlationMatrix([{ name: 'x', values: Float64Array.of(1, 2, 3) }, { name: 'y', values: Float64Array.of(2, 4, 7) }]);
  close(h.matrix[0][1], 5 / Math.sqrt(228 / 9), 1e-14, 'by hand');
  const c = correlationMatrix([{ name: 'x', values: Float64Array.of(1, 2, 3) }, { name: 'c', values: Float64Array.of(4, 4, 4) }]);
  assert.deepEqual(c.matrix, [[1, 0], [0, 1]]);
  const n = correlationMatrix([{ name: 'x', values: Float64Array.of(1, 2, 3, 9) }, { name: 'y', values: Float64Array.of(2, 4, 7, -50) }], Float64Array.of(1, 1, 1, -2));
  close(n.matrix[0][1], h.matrix[0][1], 1e-14, 'negative weight dropped');
  assert.equal(n.events, 3);
});

test('max Punzi FOM ε/(a/2 + √B) against a brute-force scan over every threshold (numpy)', () => {
  const p = v.punzi;
  const r = maxPunziFom(Float32Array.from(p.output), Float64Array.from(p.weight), oneWindow(p.label, p.nGenerated), p.a);
  close(r.fom[0], p.fom, 1e-12, 'FOM');
  assert.equal(r.cut[0], p.cut);
  // by hand: outputs S 0.9, S 0.6, B 0.7 (w 4), B 0.2 (w 1), nGen 4, a = 3:
  // cut 0.9: ε ¼, B 0 → ¼/1.5 = 0.1667; cut 0.6: ε ½, B 4 → ½/3.5 = 0.1429 → best 0.9
  const h = maxPunziFom(Float32Array.of(0.9, 0.6, 0.7, 0.2), Float64Array.of(1, 1, 4, 1), oneWindow([1, 1, 0, 0], 4));
  close(h.fom[0], 0.25 / 1.5, 1e-15, 'hand FOM');
  close(h.cut[0], Math.fround(0.9), 0, 'hand cut');
  // light background (w 0.01 at 0.7): cut 0.9 gives ¼/1.5 = 0.1667, cut 0.6 gives ½/(1.5 + 0.1) = 0.3125 → the looser cut
  const k = maxPunziFom(Float32Array.of(0.9, 0.6, 0.7, 0.2), Float64Array.of(1, 1, 0.01, 1), oneWindow([1, 1, 0, 0], 4));
  close(k.fom[0], 0.5 / (1.5 + 0.1), 1e-12, 'light background: the looser cut');
  close(k.cut[0], Math.fround(0.6), 0, 'looser cut');
});
