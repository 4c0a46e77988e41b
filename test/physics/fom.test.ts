import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  asimovDiscovery, asimovExclusion, combineQuadrature, punziFom, sOverSqrtB, sOverSqrtSB,
  sigmaMin, sigmaMinGradient, sigmaMinImproved, sigmaMinOf,
} from '../../src/physics/fom.js';

interface FomVectors {
  a: number; b: number; lumi: number; eff: number[]; B: number[];
  sigma_min_paper: number[]; sigma_min_improved: number[]; punzi_simple: number[];
  S: number[]; Bz: number[]; z_discovery: number[]; z_exclusion: number[]; z_binned_quadrature: number;
}
const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/fom.json', import.meta.url), 'utf8')) as FomVectors;
const p = { a: v.a, b: v.b, lumi: v.lumi };

function close(actual: number, expected: number, rel = 1e-6, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test('fom.json: σ_min (paper eq. 9 and Punzi 2003 improved) and simple Punzi FOM to 1e-6', () => {
  for (let i = 0; i < v.eff.length; i++) {
    close(sigmaMin(v.eff[i], v.B[i], p), v.sigma_min_paper[i], 1e-6, `paper ${i}`);
    close(sigmaMinImproved(v.eff[i], v.B[i], p), v.sigma_min_improved[i], 1e-6, `improved ${i}`);
    close(sigmaMinOf('improved', v.eff[i], v.B[i], p), v.sigma_min_improved[i], 1e-6, `of ${i}`);
    close(punziFom(v.eff[i], v.B[i], v.a), v.punzi_simple[i], 1e-6, `simple ${i}`);
  }
});

test('fom.json: Asimov discovery and exclusion significance, quadrature combination to 1e-6', () => {
  for (let i = 0; i < v.S.length; i++) {
    close(asimovDiscovery(v.S[i], v.Bz[i]), v.z_discovery[i], 1e-6, `discovery ${i}`);
    close(asimovExclusion(v.S[i], v.Bz[i]), v.z_exclusion[i], 1e-6, `exclusion ${i}`);
  }
  close(combineQuadrature(v.z_discovery), v.z_binned_quadrature, 1e-6, 'quadrature');
});

test('guard rails: ε = 0 → +∞, B = 0 and negative B finite, never NaN', () => {
  assert.equal(sigmaMin(0, 10), Infinity);
  assert.equal(sigmaMinImproved(-0.1, 10), Infinity);
  assert.equal(sigmaMin(NaN, 10), Infinity);
  // B = 0: σ = (b²/2 + b/2·b)/(εL) = b²/(εL)
  close(sigmaMin(0.5, 0, p), (p.b * p.b) / (0.5 * p.lumi), 1e-12, 'B=0');
  assert.equal(sigmaMin(0.5, -3, p), sigmaMin(0.5, 0, p));
  assert.equal(sigmaMin(0.5, NaN, p), sigmaMin(0.5, 0, p));
  assert.equal(asimovDiscovery(5, 0), Infinity);
  assert.equal(asimovDiscovery(0, 0), 0);
  assert.equal(asimovExclusion(2, 0), 2);
  assert.equal(sOverSqrtB(0, 0), 0);
  assert.equal(sOverSqrtB(3, 0), Infinity);
  assert.equal(sOverSqrtB(3, 4), 1.5);
  assert.equal(sOverSqrtSB(0, 0), 0);
  assert.equal(sOverSqrtSB(1, 3), 0.5);
  assert.equal(punziFom(0, 0), 0);
  for (const z of [asimovDiscovery(1e-12, 1e6), asimovExclusion(1e-12, 1e6), combineQuadrature([NaN, 3, 4])]) assert.ok(!Number.isNaN(z));
  assert.equal(combineQuadrature([NaN, 3, 4]), 5);
});

test('Asimov Z at s ≪ b tends to s/√b (series branch agrees with the closed form)', () => {
  // (s+b)ln(1+s/b) − s = s²/(2b) − s³/(6b²) + … → Z ≈ s/√b (1 − s/(6b))
  close(asimovDiscovery(1e-4, 100), (1e-4 / 10) * (1 - 1e-4 / 600), 1e-9, 'small s');
  close(asimovDiscovery(0.0999, 100), Math.sqrt(2 * (100.0999 * Math.log1p(0.000999) - 0.0999)), 1e-9, 'near branch');
  close(asimovExclusion(0.0999, 100), Math.sqrt(2 * (0.0999 - 100 * Math.log1p(0.000999))), 1e-9, 'near branch excl');
});

test('∂σ_min/∂ε and ∂σ_min/∂B match central finite differences (both forms)', () => {
  for (const form of ['paper', 'improved'] as const) {
    for (const [e, B] of [[0.3, 12], [0.8, 0.05], [0.05, 2500], [0.5, 1]]) {
      const g = sigmaMinGradient(e, B, p, form);
      const he = 1e-6 * e, hb = 1e-6 * B;
      const fe = (sigmaMinOf(form, e + he, B, p) - sigmaMinOf(form, e - he, B, p)) / (2 * he);
      const fb = (sigmaMinOf(form, e, B + hb, p) - sigmaMinOf(form, e, B - hb, p)) / (2 * hb);
      close(g.dEff, fe, 1e-6, `${form} dEff at ${e},${B}`);
      close(g.dB, fb, 1e-6, `${form} dB at ${e},${B}`);
    }
  }
  assert.equal(sigmaMinGradient(0.5, 0, p).dB, Infinity);
  assert.deepEqual(sigmaMinGradient(0, 1, p), { dEff: -Infinity, dB: Infinity });
});
