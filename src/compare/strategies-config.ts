import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { parseConfig, readConfigText } from '../config/load.js';
import type { FomlabConfig } from '../config/schema.js';
import { section } from '../config/section.js';
import { capTrees } from './config.js';
import { quickTraining } from './mass-scan-config.js';
import { readSectionedConfig } from './section-config.js';

/**
 * The `strategies:` section (`fomlab compare CONFIG`, issue 15): the mass strategies of the
 * mass-unspecific-classifier study (arXiv:2503.20926) on one data set — each method a whole
 * train-pipeline config (its own selection, training weights, features, `parameterised:` section,
 * model and stages), trained once per seed; per method the seed with the best validation AUC is
 * reported on the test split (the study's "best of 5 seeds"), the spread over the seeds beside it.
 *
 *   strategies:
 *     seeds: [1, 2, 3, 4, 5]
 *     panels: [1000, 2000, 4000, 6000]     # the ROC panels' masses
 *     rejection: 0.99                      # signal efficiency at this background rejection, per mass
 *     shape: {efficiencies: [0.5, 0.1, 0.02], range: [800, 6800], bins: 30}   # background m_rec spectrum passing
 *     quick: {epochs: 2, trees: 20, seeds: [1, 2]}
 *     methods:
 *       - {name: μNN, data: {selection: "bkg_sample != 1", trainWeights: unit}, model: {kind: mlp, hidden: [64, 64]}}
 *       - {name: pNN, data: {selection: "bkg_sample != 2", columns: {features: [...]}}, parameterised: {background: random}}
 *
 * A method's `data` keys replace the file's (its `columns` keys those of data.columns), its
 * `search` keys the file's search keys, its `training` keys the file's training keys; `model` and
 * `parameterised` replace the file's. An error names the method.
 */
const methodSchema = section({
  name: z.string().min(1).regex(/^[^/\\]+$/, { error: 'expected a name without / or \\' }),
  model: z.record(z.string(), z.unknown()).optional(),
  training: z.record(z.string(), z.unknown()).default({}),
  data: z.record(z.string(), z.unknown()).default({}),
  search: z.record(z.string(), z.unknown()).default({}),
  parameterised: z.record(z.string(), z.unknown()).optional(),
  /** this method's seeds (default strategies.seeds), e.g. [1] for boosted trees without subsampling, whose seeds give the same trees */
  seeds: z.array(z.number().int()).min(1).optional(),
});

const fraction = z.number({ error: 'expected a fraction in (0, 1)' }).gt(0, { error: 'expected a fraction in (0, 1)' }).lt(1, { error: 'expected a fraction in (0, 1)' });

export const strategiesSchema = section({
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3, 4, 5]),
  panels: z.array(z.number().positive()).min(1).default([1000, 2000, 4000, 6000]),
  rejection: fraction.default(0.99),
  shape: section({
    /** background efficiencies (whole test background) of the thresholds whose passing m_rec spectrum is drawn */
    efficiencies: z.array(fraction).min(1).default([0.5, 0.1, 0.02]),
    range: z.tuple([z.number(), z.number()], { error: 'expected [low, high]' }).refine((r) => r[0] < r[1], { error: 'expected [low, high] with low < high' }).default([800, 6800]),
    bins: z.number().int().min(2).default(30),
  }).default({ efficiencies: [0.5, 0.1, 0.02], range: [800, 6800], bins: 30 }),
  quick: section({ epochs: z.number().int().min(1).optional(), trees: z.number().int().min(1).optional(), seeds: z.array(z.number().int()).min(1).optional() }).default({}),
  methods: z.array(methodSchema).min(1),
});

export type StrategiesSection = z.infer<typeof strategiesSchema>;

export interface StrategyMethod {
  name: string;
  /** the method's config for one seed (training.seed set) */
  config: (seed: number) => FomlabConfig;
  /** the method's config as plain data, seed left out (its hash decides whether a finished run is reused) */
  raw: Record<string, unknown>;
  seeds: number[];
}

export interface StrategiesPlan {
  section: StrategiesSection;
  base: FomlabConfig;
  methods: StrategyMethod[];
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Reads a config with a `strategies:` section; `quick` applies strategies.quick (epochs, trees, seeds). */
export function planStrategies(configPath: string, quick = false): StrategiesPlan {
  const { base, baseConfig, section: c, baseDir } = readSectionedConfig(configPath, 'strategies', strategiesSchema, '{methods: [{name, data, model, parameterised, training}, …]}');
  if (!baseConfig.search) throw new FomlabError(`${configPath}: search: missing; the strategies are judged per mass hypothesis`);
  const names = new Set<string>();
  const methods = c.methods.map((m, i): StrategyMethod => {
    if (names.has(m.name)) throw new FomlabError(`${configPath}: strategies.methods[${i}].name: '${m.name}' is used twice`);
    names.add(m.name);
    const data = record(base.data);
    const training = { ...record(base.training), ...m.training };
    const model = m.model ?? record(base.model);
    const raw: Record<string, unknown> = {
      ...base,
      data: { ...data, ...m.data, columns: { ...record(data.columns), ...record(m.data.columns) } },
      search: { ...record(base.search), ...m.search },
      ...(m.parameterised ? { parameterised: m.parameterised } : {}),
      model: quick && c.quick.trees ? capTrees(model, c.quick.trees) : model,
      training: quick ? quickTraining(training, { epochs: c.quick.epochs }) : training,
    };
    const where = `${configPath}: strategies method '${m.name}'`;
    parseConfig(stringify(raw), where, { baseDir }); // errors now, before any training
    const seeds = quick && c.quick.seeds ? c.quick.seeds.slice(0, m.seeds?.length ?? c.quick.seeds.length) : m.seeds ?? c.seeds;
    return { name: m.name, raw, seeds, config: (seed) => parseConfig(stringify({ ...raw, training: { ...record(raw.training), seed } }), where, { baseDir }) };
  });
  return { section: c, base: baseConfig, methods };
}

/** True when CONFIG has a `strategies:` section (`fomlab compare` then runs the mass strategies' comparison). */
export function isStrategiesConfig(configPath: string): boolean {
  const doc = parseDocument(readConfigText(configPath));
  const raw: unknown = doc.errors.length ? null : doc.toJS();
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'strategies' in raw;
}
