import { stringify } from 'yaml';
import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { parseConfig } from '../config/load.js';
import type { FomlabConfig } from '../config/schema.js';
import { section } from '../config/section.js';
import { readSectionedConfig } from './section-config.js';

/**
 * The `massCompare:` section (`fomlab mass-compare`, the dark-photon slides' comparison, issue 17):
 * several methods trained by the ordinary train pipeline on one data set and one split, each judged
 * per mass hypothesis on the test split at a cut of 0.5 and at one cut per mass region
 * (search.regionEdges, chosen on validation), drawn as the figure against the mass.
 *
 *   massCompare:
 *     methods:
 *       - {name: trees per region, model: {kind: regions, …}, training: {grid: …, stages: […]}}
 *       - {name: one-shot net, model: {kind: mlp, hidden: [64, 64, 64, 64, 64, 64]}, training: {stages: […]}}
 *       - {name: pNN, parameterised: {background: random, redraw: true}, model: {kind: mlp, …}}
 *     quick: {epochs: 2, grid: {model.n_estimators: [4], model.max_depth: [5]}, folds: 2}
 *
 * A method's `model` replaces the file's model; its `training` keys replace those of the file's
 * training section (stages, grid, compareWithBce, …); its `parameterised` makes it a parameterised net
 * (the mass hypothesis as an input; judged at each hypothesis). An error names the method.
 */
const methodSchema = section({
  name: z.string().min(1).regex(/^[^/\\]+$/, { error: 'expected a name without / or \\' }),
  model: z.record(z.string(), z.unknown()).optional(),
  training: z.record(z.string(), z.unknown()).default({}),
  /** features of data.columns.features this method does not see (e.g. the routing mass M for the nets) */
  drop: z.array(z.string()).default([]),
  /** makes this method a parameterised net (the `parameterised:` section, docs/pnn.md) */
  parameterised: z.record(z.string(), z.unknown()).optional(),
});

export const massCompareSchema = section({
  methods: z.array(methodSchema).min(1),
  quick: section({
    /** cap on every stage's epochs */
    epochs: z.number().int().min(1).optional(),
    /** replaces the params of every method's training.grid */
    grid: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
    /** replaces the folds of every method's training.grid.cv */
    folds: z.number().int().min(2).optional(),
  }).default({}),
});

export type MassCompareSection = z.infer<typeof massCompareSchema>;

export interface MassCompareMethod {
  name: string;
  config: FomlabConfig;
  /** the method's config as plain data (its hash decides whether a finished run is reused) */
  raw: Record<string, unknown>;
}

export interface MassComparePlan {
  base: FomlabConfig;
  methods: MassCompareMethod[];
}

export function quickTraining(training: Record<string, unknown>, q: MassCompareSection['quick']): Record<string, unknown> {
  const out = { ...training };
  if (q.epochs !== undefined && Array.isArray(out.stages))
    out.stages = out.stages.map((s: unknown) => (typeof s === 'object' && s !== null && typeof (s as Record<string, unknown>).epochs === 'number' ? { ...s, epochs: Math.min((s as { epochs: number }).epochs, q.epochs!) } : s));
  if (typeof out.grid === 'object' && out.grid !== null) {
    const g = { ...(out.grid as Record<string, unknown>) };
    if (q.grid) g.params = q.grid;
    if (q.folds !== undefined && typeof g.cv === 'object' && g.cv !== null && 'folds' in g.cv) g.cv = { folds: q.folds };
    out.grid = g;
  }
  return out;
}

/** Reads a config with a `massCompare:` section; `quick` applies massCompare.quick. */
export function planMassCompare(configPath: string, quick = false): MassComparePlan {
  const { base, baseConfig, section: c, baseDir } = readSectionedConfig(configPath, 'massCompare', massCompareSchema, '{methods: [{name, model, training}, …]}');
  if (!baseConfig.search?.regionEdges) throw new FomlabError(`${configPath}: search.regionEdges: missing; mass-compare needs the mass regions, e.g. regionEdges: [1, 4, 7]`);
  const names = new Set<string>();
  const methods = c.methods.map((m, i): MassCompareMethod => {
    if (names.has(m.name)) throw new FomlabError(`${configPath}: massCompare.methods[${i}].name: '${m.name}' is used twice`);
    names.add(m.name);
    const merged = { ...((base.training ?? {}) as Record<string, unknown>), ...m.training };
    const features = baseConfig.data.columns.features;
    const unknown = m.drop.filter((f) => !features.includes(f));
    if (unknown.length) throw new FomlabError(`${configPath}: massCompare.methods[${i}].drop: ${unknown.join(', ')} not in data.columns.features`);
    const data = base.data as Record<string, unknown>;
    const derived = {
      ...base, data: { ...data, columns: { ...(data.columns as Record<string, unknown>), features: features.filter((f) => !m.drop.includes(f)) } },
      ...(m.model ? { model: m.model } : {}), ...(m.parameterised ? { parameterised: m.parameterised } : {}), training: quick ? quickTraining(merged, c.quick) : merged,
    };
    return { name: m.name, raw: derived, config: parseConfig(stringify(derived), `${configPath}: massCompare method '${m.name}'`, { baseDir }) };
  });
  return { base: baseConfig, methods };
}
