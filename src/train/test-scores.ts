/**
 * The test split as a run judged it, for recounting a figure outside fomlab (the dark-photon
 * comparison's quick test recomputes the Punzi FOM from these): RUN/test-scores.f32 (the judged
 * net's output per test row, float32), RUN/test-events.f32 (labels, weights, mass, genMass one
 * after the other, float32; weights are the luminosity weights over the test fraction, negative
 * ones at 0: B of the whole sample) and RUN/test-events.json (rows, the test fraction, and per
 * hypothesis its mass, window and N_gen scaled to the test split — ε = signal selected / N_gen).
 */
import { join } from 'node:path';
import { writeFileAtomically } from '../core/atomic.js';
import type { JudgedSplit } from './prepare.js';

export interface TestEventsInfo {
  rows: number;
  fraction: number;
  hypotheses: Array<{ mass: number; nGenerated: number }>;
}

const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function writeTestScores(runDir: string, scores: Float32Array, test: JudgedSplit, masses: readonly number[]): void {
  const t = test.table, n = t.length;
  const all = new Float32Array(4 * n);
  all.set(t.labels(), 0);
  all.set(test.weights, n);
  all.set(t.mass(), 2 * n);
  all.set(t.hasRole('genMass') ? t.roleColumn('genMass') : new Float32Array(n).fill(NaN), 3 * n);
  writeFileAtomically(join(runDir, 'test-scores.f32'), bytes(scores));
  writeFileAtomically(join(runDir, 'test-events.f32'), bytes(all));
  const info: TestEventsInfo = { rows: n, fraction: test.fraction, hypotheses: masses.map((mass, h) => ({ mass, nGenerated: test.incidence.nGenerated[h] })) };
  writeFileAtomically(join(runDir, 'test-events.json'), `${JSON.stringify(info)}\n`);
}
