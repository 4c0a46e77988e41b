import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticSummary } from './synthetic.js';
import { commonCutSpec, variantLossSpec } from '../../src/report/specs-paper.js';
import { sigmaMinSpec } from '../../src/report/specs-mass.js';
import { renderSvg } from '../../src/report/render.js';
import { reportPlots } from '../../src/report/index.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

/** the synthetic run with a second Punzi variant (batched), fine-tuned from the same BCE nets */
function withVariants(): RunSummary {
  const s = syntheticSummary({ masses: 6, epochs: 20, judgements: false });
  const punzi = s.history.find((h) => h.stage === 'punzi')!;
  return {
    ...s,
    methods: [s.methods[0], { name: 'punzi-unbatched', label: 'Punzi-net (unbatched)', nNets: 25, commonCut: 0.4 }, { name: 'punzi-batched', label: 'Punzi-net (batched)', nNets: 25, commonCut: 0.3 }],
    masses: s.masses.map((m, i) => ({
      ...m,
      results: {
        BCE: { ...m.results.BCE, sigmaMinValidationCut: i === 0 ? null : 100 + i },
        'punzi-unbatched': m.results.Punzi,
        'punzi-batched': { ...m.results.Punzi, sigmaMinCommon: 200 + i },
      },
    })),
    history: [s.history[0], { ...punzi, method: 'punzi-unbatched' }, { ...punzi, method: 'punzi-batched', epochs: punzi.epochs.map((e) => ({ ...e, trainLoss: e.trainLoss * 0.9 })) }],
    outputs: [],
  };
}

test("fig. 7: each variant at its common cut against BCE's own per-mass cut chosen on validation (the test-optimal cut where validation has none)", async () => {
  const s = withVariants();
  const spec = commonCutSpec(s)!;
  const rows = (spec.data as { values: Array<{ mass: number; curve: string; value: number }> }).values;
  const at = (curve: string, i: number): number => rows.find((r) => r.curve.startsWith(curve) && r.mass === s.masses[i].mass)!.value;
  assert.equal(at("BCE-only net: best cut per mass", 0), s.masses[0].results.BCE.sigmaMinMean, 'no validation cut: the mean at the optimal cut');
  assert.equal(at("BCE-only net: best cut per mass", 3), 103);
  assert.equal(at('Punzi-net (batched): one common cut (0.300)', 2), 202);
  assert.equal(at('Punzi-net (unbatched): one common cut (0.400)', 2), s.masses[2].results['punzi-unbatched'].sigmaMinCommon);
  assert.equal(rows.length, 3 * s.masses.length);
  assert.match(await renderSvg(spec), /<svg/);
  assert.equal(commonCutSpec({ ...s, methods: [s.methods[0]], reference: 'BCE' }), null, 'one method: no figure');
});

test('fig. 2: the loss curves of the variants that share a loss, on one plot; none without variants', async () => {
  const s = withVariants();
  const spec = variantLossSpec(s)!;
  const rows = (spec.data as { values: Array<{ epoch: number; curve: string; value: number }> }).values;
  const curves = [...new Set(rows.map((r) => r.curve))];
  assert.deepEqual(curves, ['Punzi-net (unbatched), training', 'Punzi-net (unbatched), validation', 'Punzi-net (batched), training', 'Punzi-net (batched), validation']);
  const first = (c: string): number => rows.find((r) => r.curve === c && r.epoch === 1)!.value;
  assert.ok(Math.abs(first('Punzi-net (batched), training') - 0.9 * first('Punzi-net (unbatched), training')) < 1e-9);
  assert.match(await renderSvg(spec), /<svg/);
  assert.equal(variantLossSpec(syntheticSummary({ masses: 4, epochs: 10, judgements: false })), null, 'BCE and one Punzi-net: nothing shared');
  assert.ok(reportPlots(s).some((p) => p.id === 'variant-loss' && p.section === 'Training'));
});

test('fig. 4: σ_min vs mass of a protocol-shaped run — a mean ± s.e. band per method, and the legend shows whole method names', async () => {
  const s = withVariants();
  const long = { ...s, methods: s.methods.map((m) => (m.name === 'BCE' ? m : { ...m, label: `Punzi-net (${m.name})` })) };
  const spec = sigmaMinSpec(long);
  const rows = (spec.data as { values: Array<{ method: string; mass: number; mean: number; lo: number; hi: number }> }).values;
  assert.deepEqual([...new Set(rows.map((r) => r.method))].sort(), ['BCE-only net', 'Punzi-net (punzi-batched)', 'Punzi-net (punzi-unbatched)']);
  for (const r of rows) {
    const res = long.masses.find((m) => m.mass === r.mass)!.results[long.methods.find((m) => (m.label ?? m.name) === r.method)!.name];
    assert.equal(r.hi, res.sigmaMinMean + res.sigmaMinSe, 'band top = mean + s.e.');
    assert.ok(r.lo <= r.mean && r.mean <= r.hi);
  }
  // vega's default legend labelLimit (160 px) rendered 'Punzi-net (punzi-unbatc…'
  const svg = await renderSvg(spec);
  assert.match(svg, /Punzi-net \(punzi-unbatched\)</);
  assert.doesNotMatch(svg, /…</);
});
