import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIGURE_NAMES, figureOf, relativeLoss, type FigureName } from '../../src/physics/figures.js';
import { fixedWindows, windowIncidence } from '../../src/physics/windows.js';
import { bestCommonCut, cutsAt, optimalCuts } from '../../src/evaluate/cuts.js';

interface FomVectors {
  a: number; b: number; lumi: number; eff: number[]; B: number[];
  sigma_min_paper: number[]; sigma_min_improved: number[]; punzi_simple: number[];
  S: number[]; Bz: number[]; z_discovery: number[]; z_exclusion: number[];
}
const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/fom.json', import.meta.url), 'utf8')) as FomVectors;

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test('registry: every figure against fom.json (PyTorch/NumPy float64 reference) to 1e-6', () => {
  const params = { a: v.a, b: v.b, lumi: v.lumi, halfA: v.a / 2 };
  const paper = figureOf({ name: 'sigmaMin', params: { ...params, form: 'paper' } });
  const improved = figureOf({ name: 'sigmaMin', params: { ...params, form: 'improved' } });
  const punzi = figureOf({ name: 'punziFom', params: { ...params, form: 'improved' } });
  for (let i = 0; i < v.eff.length; i++) {
    const c = { eff: v.eff[i], S: 0, B: v.B[i] };
    close(paper.of(c), v.sigma_min_paper[i], 1e-6, `paper ${i}`);
    close(improved.of(c), v.sigma_min_improved[i], 1e-6, `improved ${i}`);
    close(punzi.of(c), v.punzi_simple[i], 1e-6, `punzi ${i}`);
  }
  const z = figureOf({ name: 'asimovZ' }), ze = figureOf({ name: 'asimovExclusionZ' });
  for (let i = 0; i < v.S.length; i++) {
    close(z.of({ eff: 0, S: v.S[i], B: v.Bz[i] }), v.z_discovery[i], 1e-6, `Z ${i}`);
    close(ze.of({ eff: 0, S: v.S[i], B: v.Bz[i] }), v.z_exclusion[i], 1e-6, `Z excl ${i}`);
  }
  // S/√B and S/√(S+B) by hand: S = 3, B = 4 → 1.5 and 3/√7
  close(figureOf({ name: 'sOverSqrtB' }).of({ eff: 0, S: 3, B: 4 }), 1.5, 1e-15, 'S/√B');
  close(figureOf({ name: 'sOverSqrtSB' }).of({ eff: 0, S: 3, B: 4 }), 3 / Math.sqrt(7), 1e-15, 'S/√(S+B)');
  // no expected background: S/√B and Z_A would be ∞; they give 0 (no cut in an empty corner of the MC)
  for (const name of ['sOverSqrtB', 'asimovZ', 'binnedZ'] as const) assert.equal(figureOf({ name }).of({ eff: 0.5, S: 3, B: 0 }), 0, name);
  close(figureOf({ name: 'asimovExclusionZ' }).of({ eff: 0.5, S: 2, B: 0 }), 2, 1e-15, 'Z_excl(B = 0) = √(2S)');
  for (const name of FIGURE_NAMES) {
    const f = figureOf({ name });
    assert.equal(f.better, name === 'sigmaMin' ? 'lower' : 'higher', name);
    assert.ok(f.label.length > 0);
  }
  assert.equal(figureOf({ name: 'binnedZ' }).bins, 8);
  assert.equal(figureOf().name, 'sigmaMin');
  assert.equal(figureOf().spec.params.form, 'improved', 'one default σ_min form for library and CLI');
  assert.throws(() => figureOf({ name: 'nonsense' as FigureName }), /search\.figure must be one of/);
  // relative loss: ≥ 1 in either direction, 1 at the optimum, capped
  assert.equal(relativeLoss({ better: 'lower' }, 12, 6), 2);
  assert.equal(relativeLoss({ better: 'higher' }, 1, 4), 4);
  assert.equal(relativeLoss({ better: 'higher' }, 0, 4), 1e3);
  assert.equal(relativeLoss({ better: 'higher' }, Infinity, Infinity), 1);
});

/** one mass window holding every event: signal (output, weight), background (output, weight) */
function window(signal: Array<[number, number]>, background: Array<[number, number]>, nGen: number) {
  const ev = [...signal.map(([o, w]) => [o, w, 1]), ...background.map(([o, w]) => [o, w, 0])];
  const output = Float32Array.from(ev, (e) => e[0]), weight = Float32Array.from(ev, (e) => e[1]), label = Float32Array.from(ev, (e) => e[2]);
  const n = ev.length;
  const inc = windowIncidence([1], fixedWindows([1], 0.5, 'mass'), { mass: new Float32Array(n).fill(1), label, genMass: new Float32Array(n).fill(1) });
  inc.nGenerated[0] = nGen;
  return { output, weight, inc };
}

interface Case {
  figure: FigureName;
  halfA?: number;
  signal: Array<[number, number]>;
  background: Array<[number, number]>;
  nGen: number;
  /** the figure's cut and its value there */
  cut: number;
  value: number;
  /** a figure (and its parameters) that picks another cut on the same events */
  other: { figure: FigureName; halfA?: number; cut: number };
}

// Cuts sit at signal outputs; "cut c: ε, S, B" lists each candidate. σ_min in the improved form,
// a = 3, b = 1.28155, L = 50: N(B) = 2.2620 + 3√B + 0.6408·√(1.6424 + 12√B + 4B), σ = N/(εL).
const CASES: Case[] = [
  // cut 0.9: ε = 1/2, B = 0 → Punzi 0.5/1.5 = 0.3333; σ = 3.0832/(0.5·50) = 0.1233
  // cut 0.6: ε = 1,   B = 1 → Punzi 1/2.5   = 0.4000 ← ; σ = 7.9535/50     = 0.1591 (σ_min keeps 0.9)
  { figure: 'punziFom', signal: [[0.9, 0.5], [0.6, 0.5]], background: [[0.8, 1]], nGen: 2, cut: 0.6, value: 0.4, other: { figure: 'sigmaMin', cut: 0.9 } },
  // a/2 = 1.64 against 1.5: cut 0.8: ε = 1/3, B = 0  → 0.3333/1.64 = 0.20325, /1.5 = 0.22222 (1.5 keeps 0.8)
  //                         cut 0.4: ε = 2/3, B = 10 → 0.6667/4.8023 = 0.13882
  //                         cut 0.2: ε = 1,   B = 10 → 1/(1.64 + 3.16228) = 0.20824 ←, 1/(1.5 + 3.16228) = 0.21449
  { figure: 'punziFom', halfA: 1.64, signal: [[0.8, 4], [0.4, 1], [0.2, 2]], background: [[0.6, 10]], nGen: 3, cut: 0.2, value: 1 / (1.64 + Math.sqrt(10)), other: { figure: 'punziFom', halfA: 1.5, cut: 0.8 } },
  // cut 0.3: S = 0.5, B = 1  → S/√B = 0.5;             ε = 1/4: σ = 7.9535/(0.25·50) = 0.6363 (σ_min keeps 0.3)
  // cut 0.1: S = 2.5, B = 10 → S/√B = 2.5/√10 = 0.7906 ← ε = 1/2: σ = 17.466/(0.5·50) = 0.6986
  { figure: 'sOverSqrtB', signal: [[0.3, 0.5], [0.1, 2]], background: [[0.8, 1], [0.2, 9]], nGen: 4, cut: 0.1, value: 2.5 / Math.sqrt(10), other: { figure: 'sigmaMin', cut: 0.3 } },
  // cut 0.6: S = 0.5, B = 0.25 → S/√(S+B) = 0.5/√0.75 = 0.5774; S/√B = 1.0 (S/√B keeps 0.6)
  // cut 0.1: S = 2.5, B = 9.25 → S/√(S+B) = 2.5/√11.75 = 0.7293 ←; S/√B = 0.8220
  { figure: 'sOverSqrtSB', signal: [[0.6, 0.5], [0.1, 2]], background: [[0.9, 0.25], [0.5, 9]], nGen: 4, cut: 0.1, value: 2.5 / Math.sqrt(11.75), other: { figure: 'sOverSqrtB', cut: 0.6 } },
  // Z = √(2((S+B)ln(1+S/B) − S)):
  // cut 0.8: S = 1, B = 0.25   → Z = √(2(1.25·ln 5 − 1))          = 1.4225; S/√B = 2 (S/√B keeps 0.8)
  // cut 0.2: S = 3, B = 2.5625 → Z = √(2(5.5625·ln 2.17073 − 3))  = 1.6206 ←; S/√B = 3/1.60078 = 1.8741
  { figure: 'asimovZ', signal: [[0.8, 1], [0.2, 2]], background: [[0.9, 0.25], [0.5, 2.3125]], nGen: 2, cut: 0.2, value: Math.sqrt(2 * (5.5625 * Math.log(1 + 3 / 2.5625) - 3)), other: { figure: 'sOverSqrtB', cut: 0.8 } },
  // Z_excl = √(2(S − B ln(1+S/B))), B = 0 → √(2S):
  // cut 0.7: S = 4,   B = 0    → Z_excl = √8 = 2.8284 ←; S/√(S+B) = 2
  // cut 0.3: S = 4.5, B = 0.25 → Z_excl = √(2(4.5 − 0.25·ln 19)) = 2.7437; S/√(S+B) = 4.5/√4.75 = 2.0647 (it takes 0.3)
  { figure: 'asimovExclusionZ', signal: [[0.7, 4], [0.3, 0.5]], background: [[0.4, 0.25]], nGen: 4, cut: 0.7, value: Math.sqrt(8), other: { figure: 'sOverSqrtSB', cut: 0.3 } },
  // 8 bins of equal signal count above the cut, ranks [round(k·n/8), round((k+1)·n/8)):
  // cut 0.6: n = 1: one bin (0.6 with S = 0.5, B = 1 from 0.9) → Z = Z_A(0.5, 1) = 0.4652 (the unbinned Z's choice)
  // cut 0.2: n = 2: bins [0,1) and [1,2): Z_A(0.5, 1) = 0.4652 and Z_A(0.5, 16) = 0.12430
  //          → √(0.4652² + 0.1243²) = 0.4815 ←; unbinned Z_A(1, 17) = 0.2402
  { figure: 'binnedZ', signal: [[0.6, 0.5], [0.2, 0.5]], background: [[0.9, 1], [0.5, 16]], nGen: 4, cut: 0.2, value: 0.48153, other: { figure: 'asimovZ', cut: 0.6 } },
];

for (const c of CASES) {
  test(`${c.figure}${c.halfA ? ` (a/2 = ${c.halfA})` : ''} picks cut ${c.cut}, where ${c.other.figure}${c.other.halfA ? ` (a/2 = ${c.other.halfA})` : ''} picks ${c.other.cut} (hand-built window)`, () => {
    const { output, weight, inc } = window(c.signal, c.background, c.nGen);
    const figure = figureOf({ name: c.figure, params: { a: 3, b: 1.28155, lumi: 50, form: 'improved', halfA: c.halfA ?? 1.5 } });
    const best = optimalCuts(output, weight, inc, { figure });
    assert.equal(best.cut[0], Math.fround(c.cut));
    close(best.value[0], c.value, 1e-4, `${c.figure} value`);
    // the same value at that cut from cutsAt, and as the best common cut of a one-mass search
    close(cutsAt(output, weight, inc, best.cut[0], { figure }).value[0], best.value[0], 1e-12, 'cutsAt');
    assert.equal(bestCommonCut(output, weight, inc, { figure }).cut[0], Math.fround(c.cut));
    const other = figureOf({ name: c.other.figure, params: { a: 3, b: 1.28155, lumi: 50, form: 'improved', halfA: c.other.halfA ?? 1.5 } });
    assert.equal(optimalCuts(output, weight, inc, { figure: other }).cut[0], Math.fround(c.other.cut));
  });
}

test('σ_min at every cut whatever the figure: the figure-chosen cut reports ε, S, B and σ_min there', () => {
  // the sOverSqrtB case: its cut 0.1 has ε = 1/2, S = 2.5, B = 10, σ = 17.466/25 = 0.69863
  const c = CASES[2];
  const { output, weight, inc } = window(c.signal, c.background, c.nGen);
  const r = optimalCuts(output, weight, inc, { figure: figureOf({ name: 'sOverSqrtB' }) });
  close(r.efficiency[0], 0.5, 1e-12, 'ε');
  close(r.signal[0], 2.5, 1e-7, 'S');
  close(r.background[0], 10, 1e-7, 'B');
  close(r.sigmaMin[0], 0.69863, 1e-4, 'σ_min');
});
