/**
 * `fomlab explain RUN`: integrated-gradient attributions (evaluate/attributions.ts) of one trained
 * net of a run, on its test events inside a window, against baselines drawn from the test
 * background ∝ weight (each process ∝ its cross-section, VLQ thesis §5.5.2). Works for any model
 * kind trained by gradients (its TrainableModel, in eval mode, gives ∂f/∂x); kinds without
 * gradients (boosted trees) get a clear error.
 */
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Tensor } from '../core/tensor.js';
import type { FomlabConfig } from '../config/schema.js';
import { modelSchema } from '../config/training.js';
import { buildModel, loadState, modelOptions } from '../models/registry.js';
import { completenessGap, drawBaselines, integratedGradients, summariseAttributions } from '../evaluate/attributions.js';
import type { AttributionSummary } from '../evaluate/judgement-summary.js';
import { methodsOf } from '../evaluate/judge.js';
import { windowRows } from '../evaluate/judgements.js';
import { loadTrainedNet } from './checkpoint.js';
import { prepareTraining } from './run.js';

export interface ExplainOptions {
  runDir: string;
  /** which net of the ensemble (default 0) */
  net?: number;
  /** test events explained, drawn at random among those in a window (default 5000) */
  events?: number;
  /** path steps m (default 64) */
  steps?: number;
  /** background baselines per event (default 4) */
  baselines?: number;
  seed?: number;
}

export async function explainRun(cfg: FomlabConfig, o: ExplainOptions): Promise<AttributionSummary> {
  const training = cfg.training;
  if (!training) throw new FomlabError(`${o.runDir}: the run's config has no training section`);
  const model = cfg.model ?? modelSchema.parse({});
  if (modelOptions(model).kind.fit) throw new FomlabError(`explain: integrated gradients need a model trained by gradients; model kind '${model.kind}' has none`);
  const k = o.net ?? 0;
  if (!(Number.isInteger(k) && k >= 0 && k < training.ensemble)) throw new FomlabError(`--net: expected 0…${training.ensemble - 1}, got ${k}`);
  const trained = loadTrainedNet(join(o.runDir, 'checkpoints', `net-${k}.safetensors`));
  const method = methodsOf(training.stages, false)[0];
  const { prep, search } = await prepareTraining(cfg);
  const nF = prep.features.length, test = prep.test;
  const inWindow = windowRows(test.incidence, search.hypotheses.map((h) => h.index));
  const labels = test.table.labels();
  const background = Array.from(inWindow).filter((i) => labels[i] < 0.5);
  if (background.length === 0) throw new FomlabError('explain: no test background event inside a window to draw baselines from');
  const rng = new Rng(o.seed ?? 1);
  const nEvents = Math.min(o.events ?? 5000, inWindow.length);
  const perm = rng.permutation(inWindow.length);
  const chosen = Array.from({ length: nEvents }, (_, j) => inWindow[perm[j]]).sort((a, b) => a - b);
  const rowsOf = (rows: ArrayLike<number>): Float32Array => {
    const out = new Float32Array(rows.length * nF);
    for (let j = 0; j < rows.length; j++) out.set(test.x.subarray(rows[j] * nF, (rows[j] + 1) * nF), j * nF);
    return out;
  };
  const K = o.baselines ?? 4, steps = o.steps ?? 64;
  const baselines = drawBaselines(rowsOf(background), nF, background.map((i) => test.weights[i]), nEvents, K, (o.seed ?? 1) + 1);
  const net = buildModel(nF, model, new Rng(0));
  loadState(net, method.params(trained));
  net.train?.(false);
  const f = (x: Tensor): Tensor => net.forward(x);
  const a = integratedGradients(f, rowsOf(chosen), nF, baselines, K, { steps });
  return {
    method: method.name, net: k, steps, baselinesPerEvent: K, events: nEvents, completenessGap: completenessGap(a),
    features: summariseAttributions(a, prep.features, chosen.map((i) => labels[i])),
  };
}
