// The C++ event loop (native/src/simulate.cc) against the TypeScript one it was ported from: the same
// seed must give the same events, bit for bit in the written float32 columns, for every process —
// both draw from one xoshiro128** state in the same order, so any slip in the port (a missed draw, a
// changed formula, a branch) shows up as different rows. Also the eeμμ lepton-angle sampler's weight
// is checked to be unbiased against a quadrature (the bug fixed with the port: see emitPhoton).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { defaultDetector, defaultSimulationConfig, planJobs } from '../../src/simulate/index.js';
import { COLUMN_NAMES, ChunkBuilder } from '../../src/simulate/columns.js';
import { nominalBeams } from '../../src/simulate/detector.js';
import { ALPHA_EM, ELECTRON_MASS, TRUTH_LENGTH } from '../../src/simulate/kinematics.js';
import { nativeSimulatorAvailable, runJobNative } from '../../src/simulate/native.js';
import { SimRng } from '../../src/simulate/random.js';
import { runJob, runJobTypeScript, type SimulationJob } from '../../src/simulate/run.js';
import { TauPairToMuons } from '../../src/simulate/backgrounds.js';
import { TwoPhotonMuMu, defaultTwoPhotonOptions } from '../../src/simulate/twophoton.js';
import { concatenateChunks } from '../../src/simulate/output.js';

const skip = nativeSimulatorAvailable ? false : 'the native simulator is off (addon not built, or FOMLAB_KERNELS=typescript)';

function events(job: SimulationJob, engine: 'native' | 'typescript', seed: number): Map<string, Float32Array> {
  const builder = new ChunkBuilder(777, true); // chunks fill mid-job: the native loop stops and resumes
  const j = { ...job, rng: new Rng(seed) };
  const gen = engine === 'native' ? runJobNative(j, builder) : runJobTypeScript(j, builder);
  assert.ok(gen, 'the job has a native twin');
  const chunks = [...gen];
  const last = builder.flush();
  if (last) chunks.push(last);
  return concatenateChunks(chunks, COLUMN_NAMES);
}

test('native event loop: the same events as the TypeScript loop, bit for bit, for every process', { skip }, () => {
  const cfg = { ...defaultSimulationConfig(), seed: 11, zprimeMasses: [0.3, 2.5, 6, 8.6], signalPerMass: 4000, backgroundScale: { mumu_gamma: 0.3, tautau: 0.002, eemumu: 0.0004 } };
  for (const [i, job] of planJobs(cfg).entries()) {
    const ts = events(job, 'typescript', 100 + i);
    const cc = events(job, 'native', 100 + i);
    const n = (ts.get('M2') as Float32Array).length;
    assert.ok(n > 100, `${job.generator.name}: ${n} events`);
    for (const name of COLUMN_NAMES) assert.deepEqual(cc.get(name), ts.get(name), `${job.generator.name} ${job.genMass}: column ${name}`);
  }
  // the brute-force eeμμ sampler (no band channel, no pre-checks) as a job: the C++ twin's other branches
  const det = defaultDetector();
  const reference = new TwoPhotonMuMu({ ...defaultTwoPhotonOptions(nominalBeams(det).sqrtS, det), sampler: 'reference' });
  reference.configureJob(det, 2);
  const job: SimulationJob = { generator: reference, genMass: NaN, trials: 300_000, weightPerUnit: 1, rng: new Rng(0), detector: det, unweightCap: 2 };
  const ts = events(job, 'typescript', 9), cc = events(job, 'native', 9);
  assert.ok((ts.get('M2') as Float32Array).length > 100, 'reference sampler: events pass');
  for (const name of COLUMN_NAMES) assert.deepEqual(cc.get(name), ts.get(name), `reference eeμμ sampler: column ${name}`);
});

test('a generator whose physics is replaced runs on the TypeScript loop, not the ported one', { skip }, () => {
  // a subclass that vetoes every τ pair: the C++ twin of TauPairToMuons would still make events
  class NoTaus extends TauPairToMuons {
    override generateCM(): number {
      return 0;
    }
  }
  const det = defaultDetector();
  const job: SimulationJob = { generator: new NoTaus(det), genMass: NaN, trials: 20_000, weightPerUnit: 1, rng: new Rng(3), detector: det };
  const builder = new ChunkBuilder(1000, true);
  const chunks = [...runJob(job, builder)];
  assert.equal(chunks.length, 0);
  assert.equal(builder.row, 0);
  assert.equal(runJobNative(job, builder), null);
  // the unmodified class does run natively and makes events
  const plain = { ...job, generator: new TauPairToMuons(det) };
  assert.ok(runJobNative(plain, new ChunkBuilder(1000, true)) !== null);
});

test('native two-photon integral: the same sum of raw weights as the TypeScript sampler', { skip }, () => {
  const det = defaultDetector();
  const gen = new TwoPhotonMuMu(defaultTwoPhotonOptions(nominalBeams(det).sqrtS, det));
  // integrate() runs natively when the addon is there; its TypeScript loop over the same stream:
  const rng = new SimRng(new Rng(0x2fa7));
  const ev = new Float64Array(TRUTH_LENGTH);
  let sum = 0;
  const n = 200_000; // INTEGRATION_SAMPLES
  for (let i = 0; i < n; i++) sum += gen['rawWeight'](rng, nominalBeams(det).sqrtS, ev);
  const restricted = gen['rawNorm'];
  assert.ok(Math.abs((sum / n) * 0.3893794e6 - restricted) <= 1e-12 * restricted, `TypeScript ${(sum / n) * 0.3893794e6} vs native ${restricted}`);
});

test('eeμμ lepton-angle sampling: the weight flux/q is unbiased, also where the hard channel is empty', () => {
  // emitPhoton draws ln t (t = θ² + θ₀²) from a two-channel mixture q and returns flux(t)/q(t), so its
  // mean over draws must be ∫ flux d(ln t) over [ln θ₀², ln(θ_max² + θ₀²)] (the soft channel's range).
  // flux = α/(2πx)·(1 + (1−x)² − 2m_e²x²/Q²), Q² = E²(1−x)t (Budnev Eq. D.4), here by Simpson in ln t.
  // x = 0.3: the hard channel (θ above p_T = 0.3 GeV) is open; x = 0.95: the scattered lepton has
  // 0.26 GeV, θ_C reaches the edge and the hard channel is empty (the old sampler doubled such weights).
  const det = defaultDetector();
  const opt = defaultTwoPhotonOptions(nominalBeams(det).sqrtS, det);
  const gen = new TwoPhotonMuMu(opt);
  const e = opt.sqrtS / 2;
  for (const x of [0.3, 0.95]) {
    for (const band of [true, false]) {
      const theta02 = (ELECTRON_MASS * ELECTRON_MASS * x * x) / ((1 - x) * (1 - x) * e * e);
      const lo = Math.log(theta02), hi = Math.log(opt.leptonAngleMax ** 2 + theta02);
      const flux = (lt: number): number => Math.max(0, (ALPHA_EM / (2 * Math.PI * x)) * (1 + (1 - x) ** 2 - (2 * ELECTRON_MASS ** 2 * x * x) / (e * e * (1 - x) * Math.exp(lt))));
      let exact = 0;
      const k = 2000, h = (hi - lo) / k;
      for (let i = 0; i <= k; i++) exact += (i === 0 || i === k ? 1 : i % 2 ? 4 : 2) * flux(lo + i * h);
      exact *= h / 3;
      const rng = new SimRng(new Rng(7));
      const ev = new Float64Array(TRUTH_LENGTH);
      const n = 400_000;
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        const w = gen['emitPhoton'](rng, e, x, Math.log(x), +1, ev, 20, band);
        s += w;
        s2 += w * w;
      }
      const mean = s / n, err = Math.sqrt((s2 / n - mean * mean) / n);
      assert.ok(Math.abs(mean - exact) < 5 * err + 1e-9 * exact, `x=${x} band=${band}: mean ${mean} ± ${err} vs ∫ ${exact}`);
    }
  }
});
