import { basename, extname, join, relative, resolve } from 'node:path';
import { runMassCompare } from '../../api/compare.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab mass-compare CONFIG [--out DIR] [--quick]',
    '  CONFIG has a massCompare: section (methods: name, model, training) and search.regionEdges; every method',
    '  is trained as `fomlab train` would (into DIR/<method>, test scores saved) and judged per mass on the test',
    '  split at a cut of 0.5 and at one cut per mass region (chosen on validation): DIR/table.md, DIR/comparison.json,',
    '  DIR/fom-vs-mass.svg and .png. A re-run reuses the finished runs of unchanged methods.',
    '  --out DIR   the comparison folder (default runs/<config name>, -quick with --quick)',
    '  --quick     massCompare.quick: fewer epochs, a smaller grid (a smoke test)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('mass-compare', args, { out: { type: 'string' }, quick: { type: 'boolean' } }, { min: 1, max: 1, names: 'one CONFIG file with a massCompare: section' });
    const config = positionals[0];
    const name = basename(config, extname(config));
    const out = resolve(values.out ?? join('runs', `${name}${values.quick ? '-quick' : ''}`));
    const r = await runMassCompare(config, { out, quick: values.quick ?? false });
    console.log(r.markdown);
    const rel = relative(process.cwd(), out);
    console.log(`\nmass-compare: ${r.runs.map((x) => `${x.method} ${x.seconds ? `${x.seconds.toFixed(0)} s` : 'reused'}`).join(', ')}; ${rel && !rel.startsWith('..') ? rel : out}/fom-vs-mass.png`);
    return 0;
  },
};
