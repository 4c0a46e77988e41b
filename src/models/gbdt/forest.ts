/**
 * A trained tree ensemble on raw feature values — what fomlab's boosting and an imported XGBoost model both become:
 * node i of a tree sends x to `left` if x[feature] < threshold (NaN: `defaultLeft`), leaves (feature −1) hold
 * their value; the raw score (margin) is base + Σ leaves, summed in float32 in tree order as XGBoost does, and the
 * output probability is sigmoid(margin). Saved as JSON 'fomlab.gbdt/1'.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { gbdtNative, type BinnedTree } from './native.js';

export const GBDT_JSON_FORMAT = 'fomlab.gbdt/1';

export interface RawTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  value: Float32Array;
  /** split gain and Σh per node (for importances; absent in imported models without them) */
  gain?: Float64Array;
  cover?: Float64Array;
}

export interface Forest {
  inputNames: string[];
  /** raw score before the first tree */
  baseMargin: number;
  trees: RawTree[];
}

/** The raw-value tree of a binned tree: "bin ≤ b" is "x < cuts[f][b]". */
export function rawTree(t: BinnedTree, cuts: Float32Array[]): RawTree {
  const threshold = new Float32Array(t.feature.length);
  t.feature.forEach((f, k) => { threshold[k] = f >= 0 ? cuts[f][t.bin[k]] : 0; });
  return { feature: t.feature, threshold, left: t.left, right: t.right, defaultLeft: t.defaultLeft, value: t.value, gain: t.gain, cover: t.cover };
}

/** Node arrays of all trees concatenated, children as absolute indices, roots[t] = first node of tree t. */
export function flatten(trees: RawTree[]): { feature: Int32Array; threshold: Float32Array; left: Int32Array; right: Int32Array; defaultLeft: Uint8Array; value: Float32Array; roots: Int32Array } {
  const m = trees.reduce((s, t) => s + t.feature.length, 0);
  const o = { feature: new Int32Array(m), threshold: new Float32Array(m), left: new Int32Array(m), right: new Int32Array(m), defaultLeft: new Uint8Array(m), value: new Float32Array(m), roots: new Int32Array(trees.length) };
  let off = 0;
  trees.forEach((t, k) => {
    o.roots[k] = off;
    o.feature.set(t.feature, off); o.threshold.set(t.threshold, off); o.defaultLeft.set(t.defaultLeft, off); o.value.set(t.value, off);
    for (let i = 0; i < t.feature.length; i++) {
      o.left[off + i] = t.left[i] < 0 ? -1 : t.left[i] + off;
      o.right[off + i] = t.right[i] < 0 ? -1 : t.right[i] + off;
    }
    off += t.feature.length;
  });
  return o;
}

/** Raw scores (margins) in TypeScript: the reference the C++ scorer is tested against. */
export function marginsTs(f: Forest, columns: Float32Array[], n: number, trees = f.trees.length): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = Math.fround(f.baseMargin);
    for (let t = 0; t < trees; t++) {
      const tr = f.trees[t];
      let k = 0;
      while (tr.feature[k] >= 0) {
        const v = columns[tr.feature[k]][i];
        k = (Number.isNaN(v) ? tr.defaultLeft[k] === 1 : v < tr.threshold[k]) ? tr.left[k] : tr.right[k];
      }
      m = Math.fround(m + tr.value[k]);
    }
    out[i] = m;
  }
  return out;
}

/** Raw scores of n events given as columns in the forest's input order (C++ when built). */
export function margins(f: Forest, columns: Float32Array[], n: number): Float32Array {
  if (columns.length !== f.inputNames.length) throw new FomlabError(`gbdt: ${columns.length} columns given, the model reads ${f.inputNames.length}`);
  if (!gbdtNative) return marginsTs(f, columns, n);
  const flat = flatten(f.trees);
  const out = new Float32Array(n);
  gbdtNative.gbdtPredict(columns, n, flat.feature, flat.threshold, flat.left, flat.right, flat.defaultLeft, flat.value, flat.roots, f.baseMargin, out);
  return out;
}

/** Probabilities sigmoid(margin) of n events. */
export function probabilities(f: Forest, columns: Float32Array[], n: number): Float32Array {
  const m = margins(f, columns, n);
  for (let i = 0; i < n; i++) m[i] = 1 / (1 + Math.exp(-m[i]));
  return m;
}

// ---- JSON ----

export function forestToJson(f: Forest): Record<string, unknown> {
  return {
    format: GBDT_JSON_FORMAT,
    kind: 'gbdt',
    objective: 'binary:logistic',
    inputNames: f.inputNames,
    baseMargin: f.baseMargin,
    trees: f.trees.map((t) => ({
      feature: [...t.feature], threshold: [...t.threshold], left: [...t.left], right: [...t.right], defaultLeft: [...t.defaultLeft], value: [...t.value],
      ...(t.gain ? { gain: [...t.gain] } : {}), ...(t.cover ? { cover: [...t.cover] } : {}),
    })),
  };
}

function numbers(v: unknown, path: string, fail: (m: string) => never): number[] {
  if (!Array.isArray(v)) fail(`${path} ${v === undefined ? 'is missing' : 'must be an array of numbers'}`);
  (v as unknown[]).forEach((x, i) => { if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}] must be a finite number, got ${JSON.stringify(x)}`); });
  return v as number[];
}

/** Checks one tree's structure: children after their parent, every node reached once, features in range. */
export function checkTree(t: RawTree, nf: number, where: string, fail: (m: string) => never): void {
  const m = t.feature.length;
  if (m === 0) fail(`${where} has no nodes`);
  for (const a of [t.threshold, t.left, t.right, t.defaultLeft, t.value]) if (a.length !== m) fail(`${where}: node arrays differ in length`);
  const seen = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    if (t.feature[k] < 0) continue;
    if (t.feature[k] >= nf) fail(`${where} node ${k}: feature ${t.feature[k]} but the model reads ${nf} features`);
    for (const c of [t.left[k], t.right[k]]) {
      if (!(c > k && c < m) || seen[c]) fail(`${where} node ${k}: child ${c} must be a later node of the tree, used once`);
      seen[c] = 1;
    }
  }
}

export function forestFromJson(json: unknown, source: string): Forest {
  const fail = (m: string): never => { throw new FomlabError(`${source}: ${m}`); };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('must be a JSON object');
  const o = json as Record<string, unknown>;
  if (o.format !== GBDT_JSON_FORMAT) fail(`format must be '${GBDT_JSON_FORMAT}', got ${JSON.stringify(o.format)}`);
  if (!Array.isArray(o.inputNames) || o.inputNames.some((s) => typeof s !== 'string')) fail('inputNames must be an array of strings');
  if (typeof o.baseMargin !== 'number' || !Number.isFinite(o.baseMargin)) fail('baseMargin must be a finite number');
  if (!Array.isArray(o.trees)) fail('trees must be an array');
  const nf = (o.inputNames as string[]).length;
  const trees = (o.trees as unknown[]).map((tj, k): RawTree => {
    const p = `trees[${k}]`;
    if (typeof tj !== 'object' || tj === null) fail(`${p} must be an object`);
    const t = tj as Record<string, unknown>;
    const tree: RawTree = {
      feature: Int32Array.from(numbers(t.feature, `${p}.feature`, fail)), threshold: Float32Array.from(numbers(t.threshold, `${p}.threshold`, fail)),
      left: Int32Array.from(numbers(t.left, `${p}.left`, fail)), right: Int32Array.from(numbers(t.right, `${p}.right`, fail)),
      defaultLeft: Uint8Array.from(numbers(t.defaultLeft, `${p}.defaultLeft`, fail)), value: Float32Array.from(numbers(t.value, `${p}.value`, fail)),
    };
    if (t.gain !== undefined) tree.gain = Float64Array.from(numbers(t.gain, `${p}.gain`, fail));
    if (t.cover !== undefined) tree.cover = Float64Array.from(numbers(t.cover, `${p}.cover`, fail));
    checkTree(tree, nf, p, fail);
    return tree;
  });
  return { inputNames: o.inputNames as string[], baseMargin: o.baseMargin as number, trees };
}

export function saveForest(f: Forest, path: string): void {
  writeFileAtomically(path, JSON.stringify(forestToJson(f)) + '\n');
}

export function loadForest(path: string): Forest {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new FomlabError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new FomlabError(`${path}: not valid JSON (${(e as Error).message})`); }
  return forestFromJson(json, path);
}

/**
 * Feature importances as XGBoost's get_score reports them: per feature the number of splits on it ('weight'),
 * the sum of their gains ('total_gain', the loss reduction of eq. 7) and of their covers ('total_cover', Σh of the
 * split node). Features never split on get 0.
 */
export function importances(f: Forest): { frequency: Float64Array; gain: Float64Array; cover: Float64Array } {
  const nf = f.inputNames.length;
  const out = { frequency: new Float64Array(nf), gain: new Float64Array(nf), cover: new Float64Array(nf) };
  for (const t of f.trees)
    t.feature.forEach((j, k) => {
      if (j < 0) return;
      out.frequency[j]++;
      out.gain[j] += t.gain ? t.gain[k] : 0;
      out.cover[j] += t.cover ? t.cover[k] : 0;
    });
  return out;
}

/** XGBoost's get_score 'gain' and 'cover': the total gain and cover of a feature's splits divided by their number. */
export function meanImportances(imp: { frequency: Float64Array; gain: Float64Array; cover: Float64Array }): { gain: Float64Array; cover: Float64Array } {
  const per = (a: Float64Array) => a.map((v, j) => (imp.frequency[j] > 0 ? v / imp.frequency[j] : 0));
  return { gain: per(imp.gain), cover: per(imp.cover) };
}
