import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { loadConfig } from '../../api/config.js';
import { trainRun } from '../../api/train.js';
import { printSummary } from '../summary-table.js';
import { parseOptions, stopOnInterrupt } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab train CONFIG [--out RUN_DIR] [--resume]',
    '  --out RUN_DIR  where the run goes (default runs/<config name>)',
    '  --resume       continue a stopped run from its checkpoints (finished nets are reused)',
    'Writes RUN_DIR/summary.json, RUN_DIR/models/{bce,punzi}.json and checkpoints; Ctrl-C stops after the current epoch.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('train', args, { out: { type: 'string' }, resume: { type: 'boolean' } }, { min: 1, max: 1, names: 'one CONFIG file' });
    const configPath = positionals[0];
    const cfg = loadConfig(configPath);
    const name = basename(configPath, extname(configPath));
    const runDir = resolve(values.out ?? join('runs', name));
    mkdirSync(runDir, { recursive: true });
    copyFileSync(configPath, join(runDir, 'config.yaml'));
    // where its relative paths resolve (for `fomlab evaluate RUN`; the copy sits in another folder)
    writeFileSync(join(runDir, 'config-source.json'), JSON.stringify({ config: resolve(configPath) }) + '\n');
    const { stop, dispose } = stopOnInterrupt(`resume with 'fomlab train ${configPath} --out ${runDir} --resume'`);
    try {
      const r = await trainRun(cfg, { runDir, configName: name, resume: values.resume ?? false, stop });
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
