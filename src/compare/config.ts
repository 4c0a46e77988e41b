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
 *     methods:
 *       - {name: BCE, model: {kind: mlp, hidden: [60]}, stages: [{loss: bce, …}]}
 *       - {name: BDT (12), model: {kind: gbdt}, stages: [{loss: bce, lr: 1, epochs: 1}], drop: [lep1_pt]}
 *
 * Each method's config is the file's config with its `model`, `training.stages` (and `select`)
 * replaced, validated like any config; an error names the method.
 */
const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });
const range = z.tuple([z.number(), z.number()], { error: 'expected [low, high]' }).refine((r) => r[0] < r[1], { error: 'expected [low, high] with low < high' });

const methodSchema = section({
  name: z.string().min(1).regex(/^[^/\\]+$/, { error: 'expected a name without / or \\' }),
  model: z.record(z.string(), z.unknown()).optional(),
  stages: z.array(z.unknown()).min(1),
  /** features of data.columns.features this method does not see */
  drop: z.array(z.string()).default([]),
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
}

/** Reads a config with a `compare:` section; `quick` applies compare.quick (fewer events, epochs, trials, trees). */
export function planCompare(configPath: string, quick = false): ComparePlan {
  const { base, baseConfig, section: c, baseDir } = readSectionedConfig(configPath, 'compare', compareSchema, '{methods: [{name, model, stages}, …]}');
  if (!baseConfig.search) throw new FomlabError(`${configPath}: search: missing; compare needs the search (hypothesis, window, mass variable)`);
  const names = new Set<string>();
  const methods = c.methods.map((m, i): CompareMethod => {
    if (names.has(m.name) || m.name === 'Random') throw new FomlabError(`${configPath}: compare.methods[${i}].name: '${m.name}' is ${m.name === 'Random' ? 'the built-in sanity row' : 'used twice'}`);
    names.add(m.name);
    const features = baseConfig.data.columns.features;
    const unknown = m.drop.filter((f) => !features.includes(f));
    if (unknown.length) throw new FomlabError(`${configPath}: compare.methods[${i}].drop: ${unknown.join(', ')} not in data.columns.features`);
    const training = (base.training ?? {}) as Record<string, unknown>;
    const stages = quick ? m.stages.map((s) => capEpochs(s, c.quick.epochs)) : m.stages;
    const model = quick && c.quick.trees && m.model?.kind === 'gbdt' ? { ...m.model, n_estimators: Math.min(Number(m.model.n_estimators ?? c.quick.trees), c.quick.trees) } : m.model;
    const derived = {
      ...base,
      data: { ...(base.data as Record<string, unknown>), columns: { ...((base.data as Record<string, unknown>).columns as Record<string, unknown>), features: features.filter((f) => !m.drop.includes(f)) } },
      ...(model ? { model } : {}),
      training: { ...training, stages, ...(m.select ? { select: m.select } : {}) },
    };
    return { name: m.name, config: parseConfig(stringify(derived), `${configPath}: compare method '${m.name}'`, { baseDir }) };
  });
  const seeds = quick && c.quick.seeds ? c.quick.seeds : c.seeds;
  const events = quick && c.quick.events ? c.quick.events : c.events;
  return { compare: c, base: baseConfig, methods, seeds, ...(events ? { events } : {}) };
}

function capEpochs(stage: unknown, epochs: number | undefined): unknown {
  if (epochs === undefined || typeof stage !== 'object' || stage === null) return stage;
  const s = stage as Record<string, unknown>;
  return typeof s.epochs === 'number' ? { ...s, epochs: Math.min(s.epochs, epochs) } : s;
}
