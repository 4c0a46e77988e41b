/**
 * Import of an XGBoost model saved as JSON (`Booster.save_model('m.json')`, XGBoost ≥ 1.0 schema) so an analyst's
 * existing model scores inside fomlab. Per tree: left_children/right_children (−1 on leaves), split_indices,
 * split_conditions (the threshold on splits: x < condition goes left; the leaf value on leaves, η included),
 * default_left (where NaN goes). The raw score is logit(base_score) + Σ leaves for binary:logistic and
 * reg:logistic, base_score + Σ leaves for binary:logitraw. Nodes are renumbered breadth-first from the root
 * (pruned nodes dropped). Numerical (not categorical) splits only.
 */
import { readFileSync } from 'node:fs';
import { FomlabError } from '../../core/errors.js';
import type { Forest, RawTree } from './forest.js';

type Obj = Record<string, unknown>;

export function forestFromXgboostJson(json: unknown, source: string): Forest {
  const fail = (m: string): never => { throw new FomlabError(`${source}: ${m}`); };
  const get = (o: unknown, path: string): unknown => {
    let cur = o;
    for (const k of path.split('.')) {
      if (typeof cur !== 'object' || cur === null || !(k in (cur as Obj))) fail(`not an XGBoost JSON model: ${path} is missing`);
      cur = (cur as Obj)[k];
    }
    return cur;
  };
  const objective = get(json, 'learner.objective.name');
  if (!['binary:logistic', 'reg:logistic', 'binary:logitraw'].includes(objective as string)) fail(`objective '${String(objective)}' is not supported (binary:logistic, reg:logistic, binary:logitraw)`);
  const booster = get(json, 'learner.gradient_booster.name');
  if (booster !== 'gbtree') fail(`booster '${String(booster)}' is not supported (gbtree only)`);
  const params = get(json, 'learner.learner_model_param') as Obj;
  const nf = Number(params.num_feature);
  if (!Number.isInteger(nf) || nf < 1) fail(`learner_model_param.num_feature '${String(params.num_feature)}' is not a positive integer`);
  if (Number(params.num_class ?? 0) > 1) fail('multi-class models are not supported');
  const baseScore = Number(params.base_score);
  if (!Number.isFinite(baseScore)) fail(`base_score '${String(params.base_score)}' is not a number`);
  let baseMargin = baseScore;
  if (objective !== 'binary:logitraw') {
    if (!(baseScore > 0 && baseScore < 1)) fail(`base_score ${baseScore} must be in (0, 1) for ${String(objective)}`);
    baseMargin = Math.log(baseScore / (1 - baseScore));
  }
  // XGBoost keeps base_score as float32 and takes its logit in float32 (ProbToMargin)
  baseMargin = Math.fround(baseMargin);
  const names = (json as { learner: { feature_names?: unknown } }).learner.feature_names;
  const inputNames = Array.isArray(names) && names.length === nf ? names.map(String) : Array.from({ length: nf }, (_, j) => `f${j}`);
  const treesJson = get(json, 'learner.gradient_booster.model.trees');
  if (!Array.isArray(treesJson)) fail('gradient_booster.model.trees must be an array');
  const trees = (treesJson as Obj[]).map((t, k) => treeOf(t, `trees[${k}]`, nf, fail));
  return { inputNames, baseMargin, trees };
}

function treeOf(t: Obj, where: string, nf: number, fail: (m: string) => never): RawTree {
  const arr = (k: string): number[] => {
    const v = t[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) fail(`${where}.${k} must be an array of numbers`);
    return v as number[];
  };
  const L = arr('left_children'), R = arr('right_children'), F = arr('split_indices'), C = arr('split_conditions'), D = arr('default_left');
  const types = Array.isArray(t.split_type) ? (t.split_type as number[]) : [];
  const hess = Array.isArray(t.sum_hessian) ? (t.sum_hessian as number[]) : null;
  const gain = Array.isArray(t.loss_changes) ? (t.loss_changes as number[]) : null;
  const m = L.length;
  if ([R, F, C, D].some((a) => a.length !== m)) fail(`${where}: node arrays differ in length`);
  // breadth-first renumbering: order[new] = old
  const order: number[] = [0], newId = new Int32Array(m).fill(-1);
  newId[0] = 0;
  for (let q = 0; q < order.length; q++) {
    const k = order[q];
    if (L[k] === -1) continue;
    if (types[k]) fail(`${where} node ${k}: categorical splits are not supported`);
    for (const c of [L[k], R[k]]) {
      if (!(Number.isInteger(c) && c > 0 && c < m) || newId[c] >= 0) fail(`${where} node ${k}: child ${c} is out of range or reached twice`);
      newId[c] = order.length;
      order.push(c);
    }
  }
  const n = order.length;
  const tree: RawTree = { feature: new Int32Array(n), threshold: new Float32Array(n), left: new Int32Array(n), right: new Int32Array(n), defaultLeft: new Uint8Array(n), value: new Float32Array(n), gain: new Float64Array(n), cover: new Float64Array(n) };
  order.forEach((k, i) => {
    const leaf = L[k] === -1;
    if (!leaf && !(Number.isInteger(F[k]) && F[k] >= 0 && F[k] < nf)) fail(`${where} node ${k}: split_indices ${F[k]} outside the ${nf} features`);
    tree.feature[i] = leaf ? -1 : F[k];
    tree.threshold[i] = leaf ? 0 : C[k];
    tree.value[i] = leaf ? C[k] : 0;
    tree.left[i] = leaf ? -1 : newId[L[k]];
    tree.right[i] = leaf ? -1 : newId[R[k]];
    tree.defaultLeft[i] = D[k] ? 1 : 0;
    (tree.gain as Float64Array)[i] = leaf || !gain ? 0 : gain[k];
    (tree.cover as Float64Array)[i] = hess ? hess[k] : 0;
  });
  return tree;
}

export function loadXgboostModel(path: string): Forest {
  let json: unknown;
  try { json = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new FomlabError(`${path}: cannot read an XGBoost JSON model (${(e as Error).message.split('\n')[0]})`); }
  return forestFromXgboostJson(json, path);
}
