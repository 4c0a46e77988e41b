import { basename, extname, join, relative, resolve } from 'node:path';
import { runCompare } from '../../api/compare.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab compare CONFIG [--out DIR] [--quick] [--table-only] [--scenario NAME]',
    '  CONFIG has a compare: section (methods: model, training stages, loss terms, dropped features);',
    '  every method and a Random row are trained and judged on each trial seed (train / validation /',
    '  test in equal thirds) and Table 1 is written as DIR/table.csv and DIR/index.html (figs. 4–5, 7).',
    '  A re-run skips the finished (method, trial) cells.',
    '  --out DIR   the comparison folder (default runs/<config name>-compare, -quick with --quick)',
    '  --quick     compare.quick: fewer events, epochs and trials (a smoke test)',
    '  --table-only  train nothing: write the table of the cells finished so far',
    '  --scenario NAME  train with compare.scenarios.NAME as data.trainFraction (e.g. the thesis\' TC2:',
    '              10 % of the background); default DIR runs/<config name>-compare-NAME',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('compare', args, { out: { type: 'string' }, quick: { type: 'boolean' }, 'table-only': { type: 'boolean' }, scenario: { type: 'string' } }, { min: 1, max: 1, names: 'one CONFIG file with a compare: section' });
    const config = positionals[0];
    const name = basename(config, extname(config));
    const out = resolve(values.out ?? join('runs', `${name}-compare${values.scenario ? `-${values.scenario}` : ''}${values.quick ? '-quick' : ''}`));
    const r = await runCompare(config, { out, quick: values.quick ?? false, tableOnly: values['table-only'] ?? false, ...(values.scenario ? { scenario: values.scenario } : {}) });
    console.log(r.markdown);
    const rel = relative(process.cwd(), r.html);
    console.log(`\ncompare: ${r.computed} cells computed, ${r.cells.length - r.computed} reused; ${rel && !rel.startsWith('..') ? rel : r.html}`);
    return 0;
  },
};
