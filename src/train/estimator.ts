import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { modelSchema, stageSchema } from '../config/training.js';
import { searchSchema } from '../config/search.js';
import { formatIssues, numberBetween, oneOf, section } from '../config/section.js';
import { EventTable } from '../data/table.js';
import { SCALING_KINDS } from '../data/scale.js';
import { splitByFractions } from '../data/split.js';
import type { Search } from '../physics/search.js';
import { modelFromJson, savedModel, type SavedModel } from '../models/registry.js';
import { scoreColumns } from '../models/score.js';
import { prepareRun } from './prepare.js';
import { trainNet, type StageLog } from './trainer.js';

/**
 * The options of a PunziNet as plain data (validated like a config section; every key has a
 * library-side default). The default recipe is the demo's: the 4-8-4-1 tanh net, 40 epochs of BCE
 * pre-training (SGD, lr 1) then 60 of Punzi fine-tuning (Adam, lr 1e-3, mean of ln σ_min, the soft
 * selection sharpened k = 1 → 20; see losses/punzi.ts), standard feature scaling.
 */
export const punziNetOptionsSchema = section({
  model: modelSchema.default(() => modelSchema.parse({})),
  stages: z.array(stageSchema).min(1).default(() => [
    stageSchema.parse({ name: 'bce', loss: 'bce', optimizer: 'sgd', lr: 1, batchSize: 2048, epochs: 40 }),
    stageSchema.parse({ name: 'punzi', loss: 'punzi', aggregate: 'logMean', optimizer: 'adam', lr: 0.001, batchSize: 50000, epochs: 60, sharpness: { from: 1, to: 20 } }),
  ]),
  seed: z.number().int().default(1),
  scaling: oneOf(SCALING_KINDS).default('standard'),
  /** the part of fit()'s events that picks each stage's best epoch (when no validation table is given) */
  validationFraction: numberBetween(0.01, 0.9).default(0.25),
  /** σ_min's a, b, luminosity and form, as in the config's search.sensitivity */
  sensitivity: searchSchema.shape.sensitivity,
  /** true number of signal events generated per hypothesis in fit()'s events (else counted) */
  generatedPerMass: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
});

export type PunziNetOptions = z.input<typeof punziNetOptionsSchema>;
export type PunziNetSettings = z.output<typeof punziNetOptionsSchema>;

/** The estimator's key in its model file (other keys: the model kind's file, see models/registry.ts). */
const ESTIMATOR_KEY = 'fomlab.estimator';

/**
 * A Punzi-net as an estimator, in the spirit of scikit-learn: built from plain options,
 * `fit(events, search)` trains it (feature scaling fitted inside), `predict(events)` gives one
 * score per event, `save(path)` writes a model file that `fomlab apply` and `fomlab export` read as
 * well, `PunziNet.load(path)` restores it. Events are an EventTable with the roles features,
 * label, mass (and genMass, weight) set, as from loadEvents or simulateTable.
 */
export class PunziNet {
  readonly settings: PunziNetSettings;
  private saved?: SavedModel;
  /** the training log of each stage, after fit() */
  logs: StageLog[] = [];

  constructor(options: PunziNetOptions = {}) {
    const r = punziNetOptionsSchema.safeParse(options);
    if (!r.success) throw new FomlabError(formatIssues(r.error.issues, options, 'PunziNet options').split('\n')[0]);
    this.settings = r.data;
  }

  /**
   * Trains on `events` for the hypotheses of `search`. Each stage's best epoch is chosen on
   * `validation` (the same sample's other events, weighted alike), or else on a stratified
   * `validationFraction` of `events`. Returns this.
   */
  fit(events: EventTable, search: Search, validation?: EventTable): this {
    const o = this.settings;
    let train = events, valid = validation;
    if (!valid) {
      const idx = splitByFractions(events.length, { train: 1 - o.validationFraction, validation: o.validationFraction, test: 0, seed: o.seed }, events.labels());
      train = events.take(idx.train);
      valid = events.take(idx.validation);
    }
    if (valid.length < 2) throw new FomlabError(`PunziNet.fit: the validation events are too few (${valid.length})`);
    // prepareRun lays out the splits exactly as `fomlab train` does; it also wants a test part (the
    // CLI judges on it), which the estimator does not use: one validation event stands in for it.
    const part = new Float32Array(train.length + valid.length).fill(1, train.length);
    part[part.length - 1] = 2;
    const SPLIT = '__fomlab_estimator_split';
    const all = EventTable.concat([train, valid], events.source).withColumn(SPLIT, part);
    const prep = prepareRun(all, search, { split: { column: SPLIT }, scaling: o.scaling, generatedPerMass: o.generatedPerMass });
    const net = trainNet({
      train: prep.train, validation: prep.validation, model: o.model, stages: o.stages, seed: o.seed, sensitivity: o.sensitivity,
      figure: { x: prep.validationJudged.x, incidence: prep.validationJudged.incidence, weights: prep.validationJudged.weights, include: search.trainMask },
    });
    if (net.stopped) throw new FomlabError(`PunziNet.fit: training stopped (${net.stopped})`);
    const sc = prep.scaler.toJSON();
    this.saved = savedModel(o.model, net.params, prep.features, Float32Array.from(sc.offset), Float32Array.from(sc.scale, (s) => 1 / s));
    this.logs = net.logs;
    return this;
  }

  /** The trained net's output (signal probability) for each event; its features are found by name. */
  predict(events: EventTable): Float32Array {
    return scoreColumns(this.trained('predict'), new Map(events.names.map((n) => [n, events.column(n)])), events.source);
  }

  /** Writes the trained net with its feature scaling and these options (atomically). */
  save(path: string): void {
    writeFileAtomically(path, JSON.stringify({ ...this.trained('save').toJson(), [ESTIMATOR_KEY]: this.settings }));
  }

  /** A PunziNet saved by save(). */
  static load(path: string): PunziNet {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FomlabError(`${path}: ${code === 'ENOENT' ? 'no such model file' : `not a JSON model file (${(e as Error).message})`}`);
    }
    if (typeof json[ESTIMATOR_KEY] !== 'object') throw new FomlabError(`${path}: not a PunziNet file (no '${ESTIMATOR_KEY}' key)`);
    const est = new PunziNet(json[ESTIMATOR_KEY] as PunziNetOptions);
    est.saved = modelFromJson(json, path);
    return est;
  }

  /** The trained model as its kind's model file holds it (score, toOnnx, toJson; for scoreColumns). */
  get model(): SavedModel {
    return this.trained('model');
  }

  private trained(what: string): SavedModel {
    if (!this.saved) throw new FomlabError(`PunziNet.${what}: not trained yet; call fit(events, search) first`);
    return this.saved;
  }
}
