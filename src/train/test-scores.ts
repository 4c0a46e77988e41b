/**
 * A split as a run judged it, for recounting a figure outside fomlab (the dark-photon comparison's
 * quick test recomputes the Punzi FOM from these; `fomlab compare` with a strategies: section reads
 * every figure from them): RUN/<split>-scores.f32 (the judged net's output per row, float32),
 * RUN/<split>-events.f32 (labels, weights, mass, genMass one after the other, float32; weights are
 * the luminosity weights over the split's fraction, negative ones at 0: B of the whole sample),
 * RUN/<split>-windows.i32 (per hypothesis the rows of its window: H, then the signal offsets (H + 1)
 * and rows, then the background offsets (H + 1) and rows — for a parameterised net each row is the
 * event's copy scored at that hypothesis) and RUN/<split>-events.json (rows, the split's fraction,
 * and per hypothesis its mass and N_gen scaled to the split — ε = signal selected / N_gen).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { JudgedSplit } from './prepare.js';

export interface TestEventsInfo {
  rows: number;
  fraction: number;
  hypotheses: Array<{ mass: number; nGenerated: number }>;
}

/** A saved split: the scores, the events' roles and each hypothesis' window rows. */
export interface SavedSplit {
  info: TestEventsInfo;
  scores: Float32Array;
  labels: Float32Array;
  weights: Float32Array;
  mass: Float32Array;
  genMass: Float32Array;
  /** rows of window h: signal generated at h, background */
  signal: { offsets: Int32Array; events: Int32Array };
  background: { offsets: Int32Array; events: Int32Array };
}

const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** RUN/<name>-*.{f32,i32,json} of one judged split (see the file comment). */
export function writeSplitScores(runDir: string, name: string, scores: Float32Array, split: JudgedSplit, masses: readonly number[]): void {
  const t = split.table, n = t.length;
  const all = new Float32Array(4 * n);
  all.set(t.labels(), 0);
  all.set(split.weights, n);
  all.set(t.mass(), 2 * n);
  all.set(t.hasRole('genMass') ? t.roleColumn('genMass') : new Float32Array(n).fill(NaN), 3 * n);
  const inc = split.incidence, H = inc.nHypotheses;
  const windows = new Int32Array(1 + 2 * (H + 1) + inc.signal.events.length + inc.background.events.length);
  let k = 0;
  windows[k++] = H;
  for (const part of [inc.signal, inc.background]) {
    windows.set(part.offsets, k); k += H + 1;
    windows.set(part.events, k); k += part.events.length;
  }
  writeFileAtomically(join(runDir, `${name}-scores.f32`), bytes(scores));
  writeFileAtomically(join(runDir, `${name}-events.f32`), bytes(all));
  writeFileAtomically(join(runDir, `${name}-windows.i32`), bytes(windows));
  const info: TestEventsInfo = { rows: n, fraction: split.fraction, hypotheses: masses.map((mass, h) => ({ mass, nGenerated: inc.nGenerated[h] })) };
  writeFileAtomically(join(runDir, `${name}-events.json`), `${JSON.stringify(info)}\n`);
}

export function writeTestScores(runDir: string, scores: Float32Array, test: JudgedSplit, masses: readonly number[]): void {
  writeSplitScores(runDir, 'test', scores, test, masses);
}

function floats(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Reads RUN/<name>-* written by writeSplitScores; an error names the file that does not fit. */
export function readSplitScores(runDir: string, name: string): SavedSplit {
  const info = JSON.parse(readFileSync(join(runDir, `${name}-events.json`), 'utf8')) as TestEventsInfo;
  const n = info.rows, scores = floats(join(runDir, `${name}-scores.f32`)), all = floats(join(runDir, `${name}-events.f32`));
  if (scores.length !== n || all.length !== 4 * n) throw new FomlabError(`${join(runDir, `${name}-scores.f32`)}: ${scores.length} scores and ${all.length / 4} events for ${n} rows`);
  const wf = join(runDir, `${name}-windows.i32`), b = readFileSync(wf);
  const w = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const H = w[0];
  if (H !== info.hypotheses.length) throw new FomlabError(`${wf}: ${H} hypotheses, ${join(runDir, `${name}-events.json`)} lists ${info.hypotheses.length}`);
  let k = 1;
  const part = (): { offsets: Int32Array; events: Int32Array } => {
    const offsets = w.subarray(k, k + H + 1); k += H + 1;
    const events = w.subarray(k, k + offsets[H]); k += offsets[H];
    return { offsets, events };
  };
  const signal = part(), background = part();
  return { info, scores, labels: all.subarray(0, n), weights: all.subarray(n, 2 * n), mass: all.subarray(2 * n, 3 * n), genMass: all.subarray(3 * n), signal, background };
}
