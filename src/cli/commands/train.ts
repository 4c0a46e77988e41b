import { basename, extname, join, resolve } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { loadConfig } from '../../api/config.js';
import { kernelsWarning, trainRun } from '../../api/train.js';
import { printSummary } from '../summary-table.js';
import { parseOptions, stopOnInterrupt } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab train CONFIG [--out RUN_DIR] [--resume] [--checkpoint-every N]',
    '  --out RUN_DIR           where the run goes (default runs/<config name>)',
    '  --resume                continue a stopped run exactly from its checkpoints (finished nets are reused);',
    '                          refused when the config differs from the run\'s in anything that changes the result;',
    '                          other stage epochs continue where that equals an uninterrupted run with them',
    '  --checkpoint-every N    write each net\'s checkpoint every N epochs (default 25; always on Ctrl-C)',
    'Writes RUN_DIR/summary.json, RUN_DIR/models/{bce,punzi}.json, RUN_DIR/run.json and checkpoints; Ctrl-C stops after the current epoch.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('train', args, { out: { type: 'string' }, resume: { type: 'boolean' }, 'checkpoint-every': { type: 'string' } }, { min: 1, max: 1, names: 'one CONFIG file' });
    const configPath = positionals[0];
    const every = values['checkpoint-every'] === undefined ? undefined : Number(values['checkpoint-every']);
    if (every !== undefined && !(Number.isInteger(every) && every >= 1)) throw new FomlabError(`train: --checkpoint-every expects a whole number ≥ 1, got '${values['checkpoint-every']}'`);
    const cfg = loadConfig(configPath);
    const name = basename(configPath, extname(configPath));
    const runDir = resolve(values.out ?? join('runs', name));
    const resume = values.resume ?? false;
    const warning = resume ? kernelsWarning(runDir, 'this resume') : null;
    if (warning) console.error(`fomlab: ${warning}`);
    const { stop, dispose } = stopOnInterrupt(`resume with 'fomlab train ${configPath} --out ${runDir} --resume'`);
    try {
      const r = await trainRun(cfg, { runDir, configName: name, resume, stop, configFile: configPath, checkpointEvery: every });
      if (r.interrupted) {
        console.error(`fomlab: training stopped; checkpoints in ${join(runDir, 'checkpoints')}`);
        return 130;
      }
      printSummary(r.summary);
      console.log(`\nrun written to ${runDir} (summary.json, models/); next: fomlab report ${runDir}`);
      return 0;
    } finally {
      dispose();
    }
  },
};
