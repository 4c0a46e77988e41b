import { basename, extname, join, relative, resolve } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { isStrategiesConfig, runCompare, runCompareCell, runCompareJobs, runStrategies } from '../../api/compare.js';
import { parseOptions, stopOnInterrupt } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab compare CONFIG [--out DIR] [--quick] [--jobs N] [--table-only] [--scenario NAME]',
    '  CONFIG has a compare: section (methods: model, training stages, loss terms, dropped features);',
    '  every method and a Random row are trained and judged on each trial seed (train / validation /',
    '  test in equal thirds) and Table 1 is written as DIR/table.csv and DIR/index.html (figs. 4–5, 7).',
    '  A re-run skips the finished (method, trial) cells.',
    '  --out DIR   the comparison folder (default runs/<config name>-compare, -quick with --quick)',
    '  --quick     compare.quick: fewer events, epochs and trials (a smoke test)',
    '  --jobs N    cells at a time, each in its own process (default 1: one after the other in this one)',
    '  --table-only  train nothing: write the table of the cells finished so far',
    '  --scenario NAME  train with compare.scenarios.NAME as data.trainFraction (e.g. the thesis\' TC2:',
    '              10 % of the background); default DIR runs/<config name>-compare-NAME',
    '  --cell SLUG@SEED  compute this one cell only, no table (a job of `fomlab sweep CONFIG`, e.g. bce-fnn@2)',
    'CONFIG with a strategies: section (examples/vlq-strategies.yaml): the mass strategies of the mass-unspecific',
    '  study, each trained once per seed (strategies.seeds), the best seed by validation AUC judged on test per mass:',
    '  DIR/table.md, strategies.json, index.html and plots (ROC panels, AUC, ε_S at fixed rejection, Z vs mass,',
    '  background shape); --out and --quick as above (finished runs are reused).',
    'On a batch system: `fomlab sweep CONFIG --executor slurm|condor` runs each cell as a job and writes the same table.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('compare', args, { out: { type: 'string' }, quick: { type: 'boolean' }, 'table-only': { type: 'boolean' }, jobs: { type: 'string' }, cell: { type: 'string' }, scenario: { type: 'string' } }, { min: 1, max: 1, names: 'one CONFIG file with a compare: section' });
    const config = positionals[0];
    const name = basename(config, extname(config));
    const scenario = values.scenario ? { scenario: values.scenario } : {};
    const out = resolve(values.out ?? join('runs', `${name}-compare${values.scenario ? `-${values.scenario}` : ''}${values.quick ? '-quick' : ''}`));
    if (isStrategiesConfig(config)) {
      const cellOptions = (['jobs', 'cell', 'table-only', 'scenario'] as const).filter((k) => values[k] !== undefined);
      if (cellOptions.length) throw new FomlabError(`compare: ${config} has a strategies: section, which runs its strategies one after the other; --${cellOptions.join(', --')} belong${cellOptions.length === 1 ? 's' : ''} to a compare: section's cells`);
      const r = await runStrategies(config, { out, quick: values.quick ?? false });
      console.log(r.markdown);
      console.log(`\ncompare: ${r.html}`);
      return 0;
    }
    if (values.cell !== undefined) {
      await runCompareCell(config, values.cell, { out, quick: values.quick ?? false, ...scenario });
      return 0;
    }
    const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
    if (!(Number.isInteger(jobs) && jobs >= 1)) throw new FomlabError(`compare: --jobs: expected a whole number ≥ 1, got '${values.jobs}'`);
    if (jobs > 1 && !values['table-only']) {
      const { stop, dispose } = stopOnInterrupt('rerun the same command to continue (finished cells are kept)');
      let failed;
      try {
        let last = '';
        failed = await runCompareJobs(config, out, {
          quick: values.quick ?? false, ...scenario, workers: jobs, stop,
          onProgress: (p) => {
            const line = `compare: ${p.done}/${p.total} cells done · ${p.running} running${p.skipped ? ` · ${p.skipped} finished before` : ''}`;
            if (line !== last) console.error((last = line));
          },
        });
      } finally {
        dispose();
      }
      if (failed === 'stopped') return 130;
      if (failed.length) throw new FomlabError(`compare: ${failed.length} cell${failed.length === 1 ? '' : 's'} did not finish: ${failed.join(', ')}`);
    }
    const r = await runCompare(config, { out, quick: values.quick ?? false, tableOnly: values['table-only'] ?? false, ...scenario });
    console.log(r.markdown);
    const rel = relative(process.cwd(), r.html);
    console.log(`\ncompare: ${r.computed} cells computed, ${r.cells.length - r.computed} reused; ${rel && !rel.startsWith('..') ? rel : r.html}`);
    return 0;
  },
};
