import { stringify } from 'yaml';
import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { parseConfig } from '../config/load.js';
import type { FomlabConfig } from '../config/schema.js';
import { section } from '../config/section.js';
import { readSectionedConfig } from './section-config.js';

/**
 * The `compare:` section: several methods (each a model, its training stages with their loss
 * terms, and optionally its own features) on one data set with repeated random subsampling
 * (the H→Zγ study's Table 1: 3 trials, train / validation / test in equal thirds):
 *
 *   compare:
 *     seeds: [1, 2, 3]                    # one trial per seed: the split's and the training's seed
 *     events: 300000                      # optional: a random subsample of the data (seeded) for speed
 *     narrow: [120, 130]                  # AUC window (GeV); the significance and correlation use all events
 *     massBins: 16                        # background mass histogram bins over the data's mass range
 *     quick: {events: 30000, epochs: 3, seeds: [1]}   # what --quick changes
 *     layout: thesis                      # optional: the VLQ thesis' Z-vs-threshold columns (compare/thesis.ts)
 *     scenarios: {TC2: {background: 0.1}}  # optional: data.trainFraction per --scenario NAME
 *     methods:
 *       - {name: BCE, model: {kind: mlp, hidden: [60]}, stages: [{loss: bce, …}]}
 *       - {name: BDT (12), model: {kind: gbdt}, stages: [{loss: bce, lr: 1, epochs: 1}], drop: [lep1_pt]}
 *       - {name: BDT per region, model: {kind: regions, variable: llg_mass, edges: [125], model: {kind: gbdt}},
 *          stages: [{loss: bce, lr: 1, epochs: 1}], add: [llg_mass]}   # the routing column joins its features
 *
 * Each method's config is the file's config with its `model`, `training.stages` (and `select`)
 * replaced, validated like any config; an error names the method.
 */
const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });
const fraction = z.number({ error: 'expected a fraction in (0, 1]' }).gt(0, { error: 'expected a fraction in (0, 1]' }).max(1, { error: 'expected a fraction in (0, 1]' });
const range = z.tuple([z.number(), z.number()], { error: 'expected [low, high]' }).refine((r) => r[0] < r[1], { error: 'expected [low, high] with low < high' });

const methodSchema = section({
  name: z.string().min(1).regex(/^[^/\\]+$/, { error: 'expected a name without / or \\' }),
  model: z.record(z.string(), z.unknown()).optional(),
  stages: z.array(z.unknown()).min(1),
  /** features of data.columns.features this method does not see */
  drop: z.array(z.string()).default([]),
  /** columns of the data added to this method's features (e.g. the mass a `regions` model routes by) */
  add: z.array(z.string()).default([]),
  /** overrides training.select */
  select: z.record(z.string(), z.unknown()).optional(),
});

export const compareSchema = section({
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3]),
  events: count.optional(),
  narrow: range.default([120, 130]),
  massBins: count.default(16),
  bins: count.default(8),
  quick: section({ events: count.optional(), epochs: count.optional(), seeds: z.array(z.number().int()).min(1).optional(), trees: count.optional() }).default({}),
  methods: z.array(methodSchema).min(1),
  /**
   * the table's columns: 'table1' (the H→Zγ study: binned significance, AUC, background
   * correlation) or 'thesis' (the VLQ thesis' table 6.2: max Z, Z at 0.3/0.5/0.8/0.95, area, R10 %)
   */
  layout: z.enum(['table1', 'thesis'], { error: 'expected table1 or thesis' }).default('table1'),
  /**
   * named per-class training fractions (data.trainFraction) run one at a time with --scenario NAME,
   * e.g. the thesis' TC2: {background: 0.1}, TC3: {signal: 0.1, background: 0.1}
   */
  scenarios: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a name of letters, digits, _ or -' }), section({ signal: fraction.default(1), background: fraction.default(1) })).default({}),
});

export type CompareSection = z.infer<typeof compareSchema>;

export interface CompareMethod {
  name: string;
  /** the method's whole config (data features without the dropped ones) */
  config: FomlabConfig;
}

export interface ComparePlan {
  compare: CompareSection;
  /** the base config (all features) */
  base: FomlabConfig;
  methods: CompareMethod[];
  seeds: number[];
  events?: number;
  /** the compare.scenarios entry applied as data.trainFraction, if any */
  scenario?: string;
}

/**
 * Reads a config with a `compare:` section; `quick` applies compare.quick (fewer events, epochs,
 * trials, trees); `scenario` names a compare.scenarios entry, set as every method's data.trainFraction.
 */
export function planCompare(configPath: string, quick = false, scenario?: string): ComparePlan {
  const withScenario = (given: Record<string, unknown>, c: z.infer<typeof compareSchema>): Record<string, unknown> => {
    if (scenario === undefined) return given;
    const f = c.scenarios[scenario];
    if (!f) throw new FomlabError(`${configPath}: compare.scenarios: no scenario '${scenario}' (${Object.keys(c.scenarios).length ? `have ${Object.keys(c.scenarios).join(', ')}` : 'none given'})`);
    return { ...given, data: { ...(given.data as Record<string, unknown>), trainFraction: f } };
  };
  const { base, baseConfig, section: c, baseDir } = readSectionedConfig(configPath, 'compare', compareSchema, '{methods: [{name, model, stages}, …]}', withScenario);
  if (!baseConfig.search) throw new FomlabError(`${configPath}: search: missing; compare needs the search (hypothesis, window, mass variable)`);
  const names = new Set<string>();
  const methods = c.methods.map((m, i): CompareMethod => {
    if (names.has(m.name) || m.name === 'Random') throw new FomlabError(`${configPath}: compare.methods[${i}].name: '${m.name}' is ${m.name === 'Random' ? 'the built-in sanity row' : 'used twice'}`);
    names.add(m.name);
    const features = baseConfig.data.columns.features;
    const unknown = m.drop.filter((f) => !features.includes(f));
    if (unknown.length) throw new FomlabError(`${configPath}: compare.methods[${i}].drop: ${unknown.join(', ')} not in data.columns.features`);
    const twice = m.add.filter((f) => features.includes(f) && !m.drop.includes(f));
    if (twice.length) throw new FomlabError(`${configPath}: compare.methods[${i}].add: ${twice.join(', ')} already in data.columns.features`);
    const training = (base.training ?? {}) as Record<string, unknown>;
    const stages = quick ? m.stages.map((s) => capEpochs(s, c.quick.epochs)) : m.stages;
    const model = quick && c.quick.trees ? capTrees(m.model, c.quick.trees) : m.model;
    const derived = {
      ...base,
      data: { ...(base.data as Record<string, unknown>), columns: { ...((base.data as Record<string, unknown>).columns as Record<string, unknown>), features: [...features.filter((f) => !m.drop.includes(f)), ...m.add] } },
      ...(model ? { model } : {}),
      training: { ...training, stages, ...(m.select ? { select: m.select } : {}) },
    };
    return { name: m.name, config: parseConfig(stringify(derived), `${configPath}: compare method '${m.name}'`, { baseDir }) };
  });
  const seeds = quick && c.quick.seeds ? c.quick.seeds : c.seeds;
  const events = quick && c.quick.events ? c.quick.events : c.events;
  return { compare: c, base: baseConfig, methods, seeds, ...(events ? { events } : {}), ...(scenario !== undefined ? { scenario } : {}) };
}

/** compare.quick.trees: at most `trees` trees in a gbdt model, also inside a regions model */
export function capTrees(model: Record<string, unknown> | undefined, trees: number): Record<string, unknown> | undefined {
  if (model?.kind === 'gbdt') return { ...model, n_estimators: Math.min(Number(model.n_estimators ?? trees), trees) };
  if (model?.kind === 'regions' && typeof model.model === 'object' && model.model !== null) return { ...model, model: capTrees(model.model as Record<string, unknown>, trees) };
  return model;
}

function capEpochs(stage: unknown, epochs: number | undefined): unknown {
  if (epochs === undefined || typeof stage !== 'object' || stage === null) return stage;
  const s = stage as Record<string, unknown>;
  return typeof s.epochs === 'number' ? { ...s, epochs: Math.min(s.epochs, epochs) } : s;
}
