// A comparison's (method, trial) cells as jobs: `fomlab sweep CONFIG` (local pool, 2 at a time) and
// `fomlab compare CONFIG --jobs 2` write the same table.csv, byte for byte, as the serial
// `fomlab compare CONFIG` (each cell is seeded by its trial, so the process that computes it does
// not matter); a `regions` method (one BDT per mass region, routed by the mass it adds to its
// features) joins the table.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { slurmSkipReason, startSlurm } from '../exec/slurm-cluster.js';

const CONFIG = `
data:
  files: [hzg.parquet]
  columns:
    features: [photon_eta, lep1_eta, lep2_eta, min_dR_lg, max_dR_lg, llg_pt_over_mass, photon_pt_over_mass, lep1_pt, lep2_pt]
    label: label
    mass: llg_mass
    weight: weight
  split: {train: 0.34, validation: 0.33, test: 0.33, seed: 1}
  scaling: standard
search:
  hypotheses: {masses: [125]}
  variable: mass
  window: {from: 120, to: 130}
  figure: asimovZ
training:
  seed: 1
  compareWithBce: false
  stages: [{loss: bce, optimizer: adam, lr: 0.001, batchSize: 2048, epochs: 4}]
compare:
  seeds: [1, 2]
  events: 12000
  methods:
    - name: BCE (FNN)
      model: {kind: mlp, hidden: [12], activation: tanh}
      stages: [{loss: bce, optimizer: adam, lr: 0.003, batchSize: 2048, epochs: 4}]
    - name: BDT per region
      model: {kind: regions, variable: llg_mass, edges: [125], model: {kind: gbdt, n_estimators: 15, max_depth: 3, learning_rate: 0.3}}
      stages: [{loss: bce, lr: 1, epochs: 1}]
      add: [llg_mass]
`;

const dir = mkdtempSync(join(tmpdir(), 'fomlab-compare-sweep-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'cmp.yaml');

/** the data and the serial `fomlab compare` (once for both tests): its table.csv */
let serialCsv: Promise<string> | undefined;
function serialTable(): Promise<string> {
  serialCsv ??= (async () => {
    const sim = await runCli(['simulate', '--channel', 'hzg', '--signal-events', '6000', '--background-events', '40000', '--out', join(dir, 'hzg.parquet')]);
    assert.equal(sim.code, 0, sim.err);
    writeFileSync(config, CONFIG);
    const serial = await runCli(['compare', config, '--out', join(dir, 'serial')]);
    assert.equal(serial.code, 0, serial.err);
    assert.match(serial.out, /6 cells computed, 0 reused/);
    return readFileSync(join(dir, 'serial', 'table.csv'), 'utf8');
  })();
  return serialCsv;
}

test('compare cells as sweep jobs: the same table.csv as the serial fomlab compare; a regions method is a row', { timeout: 400_000 }, async () => {
  const csv = await serialTable();
  const lines = csv.trim().split('\n');
  const head = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((r) => r[0]), ['BCE (FNN)', 'BDT per region', 'Random']);
  const col = (r: string[], name: string): number => Number(r[head.indexOf(name)]);
  // the regions row: both trials, trees that separate (AUC well above the Random row's ≈ 50 %)
  const regions = rows[1];
  assert.equal(col(regions, 'trials'), 2);
  assert.equal(regions[1], 'bce');
  assert.ok(col(regions, 'auc_percent') > col(rows[2], 'auc_percent') + 5, `regions AUC ${col(regions, 'auc_percent')} % vs Random ${col(rows[2], 'auc_percent')} %`);
  assert.ok(col(regions, 'significance') > 0);

  // the same cells, each a job of the local pool (two at a time): the same numbers
  const swept = await runCli(['sweep', config, '--out', join(dir, 'sweep'), '--jobs', '2']);
  assert.equal(swept.code, 0, swept.err);
  assert.match(swept.err, /sweep: 6 jobs in/);
  assert.equal(readFileSync(join(dir, 'sweep', 'table.csv'), 'utf8'), csv);
  assert.match(readFileSync(join(dir, 'sweep', 'index.html'), 'utf8'), /BDT per region/);
  // a rerun skips the finished jobs (their cells are kept)
  const again = await runCli(['sweep', config, '--out', join(dir, 'sweep'), '--jobs', '2']);
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /6 finished before/);

  const pooled = await runCli(['compare', config, '--out', join(dir, 'pooled'), '--jobs', '2']);
  assert.equal(pooled.code, 0, pooled.err);
  assert.match(pooled.out, /0 cells computed, 6 reused/);
  assert.equal(readFileSync(join(dir, 'pooled', 'table.csv'), 'utf8'), csv);

  // one cell by name; a wrong name lists the cells
  const one = await runCli(['compare', config, '--out', join(dir, 'one'), '--cell', 'bce-fnn@2']);
  assert.equal(one.code, 0, one.err);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'one', 'cells', 'bce-fnn-trial2.json'), 'utf8')).significance, JSON.parse(readFileSync(join(dir, 'serial', 'cells', 'bce-fnn-trial2.json'), 'utf8')).significance);
  const bad = await runCli(['compare', config, '--out', join(dir, 'one'), '--cell', 'bce@2']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--cell: no cell 'bce@2'; expected one of bce-fnn@1, bdt-per-region@1, random@1, bce-fnn@2/);
});

test('compare cells as jobs of a real Slurm (one sbatch array): the same table.csv as the serial fomlab compare', { skip: slurmSkipReason(), timeout: 400_000 }, async () => {
  const csv = await serialTable();
  const slurm = await startSlurm(2);
  const before = process.env.SLURM_CONF;
  process.env.SLURM_CONF = slurm.conf;
  try {
    const r = await runCli(['sweep', config, '--out', join(dir, 'slurm'), '--executor', 'slurm', '--time', '10', '--mem', '500M', '--poll', '0.5']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /sweep: 6 jobs in .* on slurm/);
    assert.equal(readFileSync(join(dir, 'slurm', 'state', 'slurm-jobs'), 'utf8').trim().split('\n').length, 1, 'one sbatch array for the 6 cells');
    assert.equal(readFileSync(join(dir, 'slurm', 'table.csv'), 'utf8'), csv);
  } finally {
    if (before === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = before;
    await slurm.stop();
  }
});
