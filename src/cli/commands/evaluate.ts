import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { evaluateRun, kernelsWarning, runConfig } from '../../api/train.js';
import { printSummary } from '../summary-table.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: 'fomlab evaluate RUN_DIR',
  async run(args) {
    const { positionals } = parseOptions('evaluate', args, {}, { min: 1, max: 1, names: 'one RUN_DIR' });
    const runDir = resolve(positionals[0]);
    // the config as trained (RUN/run.json, absolute paths); a run of an older fomlab: RUN/config.yaml
    const cfg = runConfig(runDir, runDir);
    if (!cfg) throw new FomlabError(`${runDir}: not a fomlab run (no run.json or config.yaml)`);
    const n = cfg.training?.ensemble ?? 1;
    const missing = Array.from({ length: n }, (_, k) => k).filter((k) => !existsSync(join(runDir, 'checkpoints', `net-${k}.safetensors`)));
    if (missing.length) throw new FomlabError(`${runDir}: net${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not trained yet; finish with 'fomlab train CONFIG --out ${runDir} --resume'`);
    const warning = kernelsWarning(runDir, 'this evaluation');
    if (warning) console.error(`fomlab: ${warning}`);
    printSummary(await evaluateRun(cfg, { runDir, configName: basename(runDir) })); // reloads the nets; no training
    console.log(`\nwrote ${join(runDir, 'summary.json')}`);
    return 0;
  },
};
