import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import type { GridConfig } from '../config/grid.js';
import { modelSchema, type ModelConfig } from '../config/training.js';
import type { FigureSpec } from '../physics/figures.js';
import type { GridSearchRecord } from '../evaluate/summary.js';
import { gridPoints, gridSearch, modelAt, type GridSelection } from './grid.js';
import { inputsOf, type PreparedRun } from './prepare.js';

/** The grid search of a run: its table and the chosen model section (kept in RUN/grid.json). */
export interface ChosenGrid {
  record: GridSearchRecord;
  model: ModelConfig;
}

/** Every grid point is a valid model section (before any training starts). */
export function checkGridPoints(grid: GridConfig, model: ModelConfig): void {
  for (const p of gridPoints(grid.params)) modelAt(model, p);
}

/** What `select` chooses by: the search's figure (`figure`), another figure with the search's parameters, or the AUC. */
export function gridSelection(select: GridConfig['select'], figure: FigureSpec): GridSelection {
  if (select === 'auc') return { kind: 'auc' };
  return { kind: 'figure', figure: select === 'figure' ? figure : { ...figure, name: select } };
}

/**
 * Runs the grid search of `training.grid` and writes RUN/grid.json, or, resuming (and re-judging
 * with `fomlab evaluate`), reads the choice made before, so that the nets and the judged model agree.
 */
export function chosenGrid(cfg: FomlabConfig, o: { prep: PreparedRun; figure: FigureSpec; runDir: string; resume: boolean; log: (l: string) => void }): ChosenGrid {
  const training = cfg.training!, grid = training.grid!;
  const path = join(o.runDir, 'grid.json');
  if (o.resume && existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<ChosenGrid>;
    if (!saved.record || !saved.model) throw new FomlabError(`${path}: not a grid search record (record, model); remove it to search again`);
    return saved as ChosenGrid;
  }
  const searchCfg = cfg.search!;
  const { a, b, lumi, form } = searchCfg.sensitivity;
  const chosen = gridSearch({
    train: o.prep.train, validation: o.prep.validation, model: cfg.model ?? modelSchema.parse({}), stages: training.stages,
    sensitivity: { a, b, lumi, form }, grid, selection: gridSelection(grid.select, o.figure), seed: training.seed, log: o.log, inputs: inputsOf(o.prep),
  });
  const p = chosen.record.points[chosen.record.chosen];
  o.log(`grid: chose ${Object.entries(p.point).map(([k, v]) => `${k} = ${v}`).join(', ')} (${chosen.record.label} ${p.mean} ± ${p.std}); training it on the whole training split`);
  writeFileAtomically(path, JSON.stringify(chosen, null, 1));
  return chosen;
}
