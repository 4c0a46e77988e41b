import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FomlabError, writeFileAtomically } from '../../api/core.js';
import { explainRun, runConfig } from '../../api/train.js';
import { attributionPng, hasPngFont, readRunSummary } from '../../api/report.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

const whole = (flag: string, v: string | undefined, fallback: number, min = 1): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new FomlabError(`${flag}: expected a whole number ≥ ${min}, got '${v}'`);
  return n;
};

export const command: Command = {
  usage: [
    'fomlab explain RUN_DIR [--net K] [--events N] [--steps M] [--baselines B] [--seed S]',
    '  integrated gradients (Sundararajan et al. 2017) of a trained net on N test events in a window (default 5000),',
    '  M path steps (default 64, trapezoid rule), B background baselines per event drawn ∝ weight, i.e. each',
    '  process ∝ its cross-section (default 4). Prints mean |IG| per feature; writes RUN/explain.json,',
    '  RUN/explain.png and the attributions into RUN/summary.json (fomlab report RUN draws them).',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('explain', args, {
      net: { type: 'string' }, events: { type: 'string' }, steps: { type: 'string' }, baselines: { type: 'string' }, seed: { type: 'string' },
    }, { min: 1, max: 1, names: 'one RUN_DIR' });
    const runDir = resolve(positionals[0]);
    const cfg = runConfig(runDir, runDir);
    if (!cfg) throw new FomlabError(`${runDir}: not a fomlab run (no run.json or config.yaml)`);
    const net = whole('--net', values.net, 0, 0);
    if (!existsSync(join(runDir, 'checkpoints', `net-${net}.safetensors`))) throw new FomlabError(`${runDir}: net ${net} not trained yet`);
    const a = await explainRun(cfg, {
      runDir, net, events: whole('--events', values.events, 5000), steps: whole('--steps', values.steps, 64),
      baselines: whole('--baselines', values.baselines, 4), seed: whole('--seed', values.seed, 1, 0),
    });
    console.log(`integrated gradients of ${a.method} (net ${a.net}): ${a.events} test events, ${a.steps} steps, ${a.baselinesPerEvent} baselines per event; completeness gap ${a.completenessGap.toExponential(2)}`);
    console.log(`${'feature'.padEnd(24)} ${'mean |IG|'.padStart(11)} ${'mean IG sig'.padStart(12)} ${'mean IG bkg'.padStart(12)}`);
    for (const f of [...a.features].sort((x, y) => y.meanAbs - x.meanAbs)) {
      console.log(`${f.feature.padEnd(24)} ${f.meanAbs.toFixed(5).padStart(11)} ${f.meanSignal.toFixed(5).padStart(12)} ${f.meanBackground.toFixed(5).padStart(12)}`);
    }
    writeFileAtomically(join(runDir, 'explain.json'), JSON.stringify(a, null, 1) + '\n');
    const wrote = [join(runDir, 'explain.json')];
    if (hasPngFont()) {
      writeFileAtomically(join(runDir, 'explain.png'), await attributionPng(a));
      wrote.push(join(runDir, 'explain.png'));
    }
    const summaryPath = join(runDir, 'summary.json');
    if (existsSync(summaryPath)) {
      const s = readRunSummary(summaryPath);
      if (s.judgements) {
        s.judgements.attributions = a;
        writeFileAtomically(summaryPath, JSON.stringify(s, null, 1));
        wrote.push(`${summaryPath} (judgements.attributions)`);
      }
    }
    console.log(`\nwrote ${wrote.join(', ')}`);
    return 0;
  },
};
