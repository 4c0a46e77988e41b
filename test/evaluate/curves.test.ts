import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { asimovDiscovery } from '../../src/physics/fom.js';
import { zCurve } from '../../src/evaluate/zcurve.js';
import { backgroundDisco, massSculpting } from '../../src/evaluate/sculpting.js';

test('Z curve: S and B above each threshold, max, working points, area, R10 %', () => {
  // signal at 0.2, 0.6, 0.9 (w 1); background at 0.1, 0.4, 0.7 (w 2), no minimum-events rule
  const ev = {
    output: Float32Array.from([0.2, 0.6, 0.9, 0.1, 0.4, 0.7]), label: Float32Array.from([1, 1, 1, 0, 0, 0]),
    weight: Float32Array.from([1, 1, 1, 2, 2, 2]),
  };
  const c = zCurve(ev, { thresholds: [0, 0.5, 0.8], workingPoints: [0.3], minSignalEvents: 0, minBackgroundEvents: 0 });
  // t = 0: S 3 B 6; t = 0.5: S 2 B 2; t = 0.8: S 1 B 0 → Z = ∞ would read as best: B = 0 → rule off gives ∞
  assert.deepEqual([...c.S], [3, 2, 1]);
  assert.deepEqual([...c.B], [6, 2, 0]);
  assert.equal(c.z[1], asimovDiscovery(2, 2));
  assert.equal(c.workingPoints[0].z, asimovDiscovery(2, 4));
  // with the rule (≥ 1 background event) the background-free tail is not valid
  const r = zCurve(ev, { thresholds: [0, 0.5, 0.8], minSignalEvents: 1, minBackgroundEvents: 1 });
  assert.deepEqual([...r.valid], [1, 1, 0]);
  assert.equal(r.maxZ, Math.max(asimovDiscovery(3, 6), asimovDiscovery(2, 2)));
  assert.equal(r.thresholdAtMax, 0.5);
  const area = 0.5 * (r.z[0] + r.z[1]) / 2 + 0.3 * (r.z[1] + 0) / 2;
  assert.ok(Math.abs(r.area - area) < 1e-12);
  // Z(0) = 1.139 ≥ 0.9 · Z(0.5) = 0.9 · 1.243: two of three thresholds within 10 % of the max
  assert.equal(r.r10, 2 / 3);
});

test('sculpting: a mass-independent output gives small spread, a mass-dependent one large; DisCo agrees', () => {
  const rng = new Rng(5);
  const n = 6000;
  const mass = new Float32Array(n), label = new Float32Array(n), flat = new Float32Array(n), sculpt = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = i % 4 === 0 ? 1 : 0;
    mass[i] = rng.range(0, 10);
    flat[i] = label[i] ? rng.range(0.3, 1) : rng.range(0, 0.8);
    sculpt[i] = label[i] ? rng.range(0.3, 1) : Math.min(1, mass[i] / 10 + 0.1 * rng.uniform());
  }
  const a = massSculpting({ output: flat, label, mass }, { outputBins: 4, massBins: 10 });
  const b = massSculpting({ output: sculpt, label, mass }, { outputBins: 4, massBins: 10 });
  assert.equal(a.histograms.length, 4);
  // the top output bin of the flat case has no background (it stops at 0.8): left out of the spread
  assert.deepEqual(a.filled, [true, true, true, false]);
  a.histograms.forEach((h, k) => assert.ok(Math.abs(h.reduce((x, y) => x + y, 0) - (a.filled[k] ? 1 : 0)) < 1e-12));
  assert.ok(a.meanStd < 0.03, `flat ${a.meanStd}`);
  assert.ok(b.meanStd > 3 * a.meanStd, `sculpted ${b.meanStd}`);
  const da = backgroundDisco({ output: flat, label, mass }, { maxEvents: 2000 });
  const db = backgroundDisco({ output: sculpt, label, mass }, { maxEvents: 2000 });
  assert.equal(da.subsampled, true);
  assert.ok(da.value < 0.02 && db.value > 0.5, `${da.value} ${db.value}`);
});
