// Plain JavaScript, run by test/package/plain-node.test.ts with `node` alone (no tsx) from a folder
// where fomlab is installed: imports the package by name and uses one estimator end to end.
// Prints one JSON line with what it measured. FOMLAB_MODULE=…/src/index.ts (with tsx) runs the same
// on the TypeScript sources instead, for comparison.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { PunziNet, physics, simulate, evaluate, models } = await import(process.env.FOMLAB_MODULE ?? 'fomlab');

const masses = [1, 2, 3];
const sample = (seed) => simulate.simulateTable({
  ...simulate.defaultSimulationConfig(), zprimeMasses: masses, signalPerMass: 1000, muonFourVectors: false, seed,
  backgroundScale: { mumu_gamma: 0.5, tautau: 0.02, eemumu: 0.001 },
});
const events = sample(1);
const table = physics.parseResolutionTable(simulate.formatResolutionTable(simulate.fitResolution(events)));
const search = new physics.Search({ hypotheses: { masses }, window: { kind: 'resolution', table, nSigma: 2 } });
const net = new PunziNet({
  seed: 3,
  stages: [
    { loss: 'bce', lr: 1, epochs: 4 },
    { loss: 'punzi', optimizer: 'adam', lr: 0.001, batchSize: 'full', epochs: 4 },
  ],
}).fit(events, search);

const fresh = sample(2); // independent events for judging
const scores = net.predict(fresh);
const dir = mkdtempSync(join(tmpdir(), 'fomlab-plain-'));
try {
  const path = join(dir, 'net.json');
  net.save(path);
  const again = PunziNet.load(path).predict(fresh);
  const spec = await models.loadFeedForwardSpec(path); // the same file as `fomlab apply` reads it
  const viaApply = models.scoreColumns(spec, new Map(fresh.names.map((n) => [n, fresh.column(n)])), 'net.json');
  const auc = (col) => evaluate.rocAuc(evaluate.scoredEvents(fresh, col));
  console.log(JSON.stringify({
    tsx: Object.keys(process.env).some((k) => /tsx/i.test(k)) || process.execArgv.some((a) => a.includes('tsx')),
    events: fresh.length,
    sameAfterLoad: again.every((v, i) => v === scores[i]),
    sameAsModelFile: viaApply.every((v, i) => v === scores[i]),
    auc: auc(scores),
    featureAuc: fresh.roles.features.map((f) => auc(fresh.column(f))),
    firstScores: Array.from(scores.subarray(0, 5)),
    stages: net.logs.map((l) => [l.stage, l.epochs.length]),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
