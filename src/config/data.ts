import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { compileExpression } from '../data/select.js';
import type { SplitConfig } from '../data/split.js';
import { SCALING_KINDS } from '../data/scale.js';
import { numberBetween, oneOf, section } from './section.js';

/** The `data:` section: which files, which columns mean what, which events, how to split and scale. */

const columnName = z.string({ error: 'expected a column name' }).min(1, { error: 'expected a column name' });

/** Roles that a file can fix to one value for all its events (one file per process). */
export const FIXED_ROLES = ['label', 'mass', 'genMass', 'weight', 'category'] as const;
export type FixedRole = (typeof FIXED_ROLES)[number];

const fileEntry = z.preprocess(
  (v) => (typeof v === 'string' ? { path: v } : v),
  section(
    {
      path: z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }),
      tree: z.string({ error: 'expected a tree name' }).optional(),
      label: z
        .number({ error: 'expected 0 (background) or 1 (signal)' })
        .refine((v) => v === 0 || v === 1, { error: 'expected 0 (background) or 1 (signal)' })
        .optional(),
      mass: z.number({ error: 'expected a number' }).optional(),
      // null: no generated mass (background), stored as NaN
      genMass: z.number({ error: 'expected a number, or null for background' }).nullable().optional(),
      weight: z.number({ error: 'expected a number' }).optional(),
      category: z.number({ error: 'expected an integer process id' }).int({ error: 'expected an integer process id' }).optional(),
      // one file per process: weight = σ·L/N_gen·scale (σ in fb, L = search.sensitivity.lumi)
      crossSection: z.number({ error: 'expected a cross-section in fb' }).min(0, { error: 'expected a cross-section ≥ 0 (fb)' }).optional(),
      nGenerated: z.number({ error: 'expected a number of generated events' }).positive({ error: 'expected a number of generated events > 0' }).optional(),
      scale: z.number({ error: 'expected a scale factor ≥ 0' }).min(0, { error: 'expected a scale factor ≥ 0' }).optional(),
    },
    'expected a file path or a mapping {path, tree?, label?, mass?, genMass?, weight?, category?, crossSection?, nGenerated?, scale?}',
  ),
);

const columns = section({
  features: z
    .array(columnName, { error: 'expected a list of column names' })
    .min(1, { error: 'expected a list of at least one column name' })
    .superRefine((names, ctx) => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [i], message: `'${n}' is listed twice` });
        seen.add(n);
      });
    }),
  label: columnName.optional(),
  mass: columnName.optional(),
  genMass: columnName.optional(),
  weight: columnName.optional(),
  category: columnName.optional(),
  /** the number of events generated for each signal event's mass (e.g. n_gen): the denominator of ε */
  nGenerated: columnName.optional(),
});

/** A process's luminosity weight: σ (fb) and N_gen, or the simulated luminosity (fb⁻¹); times scale. */
const process = section({
  crossSection: z.number().min(0).optional(),
  nGenerated: z.number().positive().optional(),
  simulatedLumi: z.number().positive().optional(),
  scale: z.number().min(0).optional(),
}, 'expected {crossSection: fb, nGenerated: N, scale?} or {simulatedLumi: fb⁻¹, scale?}');

const fraction = numberBetween(0, 1);

const split = section({
  train: fraction.optional(),
  validation: fraction.optional(),
  test: fraction.optional(),
  seed: z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).optional(),
  column: columnName.optional(),
  /** rows with the same value of this column stay in one part (e.g. `event`: all candidate rows of one event) */
  group: columnName.optional(),
})
  .superRefine((s, ctx) => {
    const parts = [s.train, s.validation, s.test];
    if (s.column !== undefined) {
      if (parts.some((p) => p !== undefined) || s.seed !== undefined || s.group !== undefined)
        ctx.addIssue({ code: 'custom', message: 'give either column (0/1/2 = train/validation/test) or train/validation/test fractions with a seed (and optionally group), not both' });
      return;
    }
    (['train', 'validation', 'test'] as const).forEach((k) => {
      if (s[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'missing (expected a number between 0 and 1; or give column: NAME instead)' });
    });
    if (parts.every((p) => p !== undefined)) {
      const sum = (s.train ?? 0) + (s.validation ?? 0) + (s.test ?? 0);
      if (Math.abs(sum - 1) > 1e-6)
        ctx.addIssue({ code: 'custom', message: `train + validation + test must sum to 1, got ${s.train} + ${s.validation} + ${s.test} = ${+sum.toPrecision(6)}` });
    }
  })
  .transform((s): SplitConfig => (s.column !== undefined ? { column: s.column }
    : { train: s.train ?? 0, validation: s.validation ?? 0, test: s.test ?? 0, seed: s.seed ?? 0, ...(s.group !== undefined ? { group: s.group } : {}) }));

export const DEFAULT_SPLIT: SplitConfig = { train: 0.7, validation: 0.15, test: 0.15, seed: 0 };

export const dataSchema = section({
  files: z.array(fileEntry, { error: 'expected a list of files' }).min(1, { error: 'expected a list of at least one file' }),
  tree: z.string({ error: 'expected a tree name' }).optional(),
  columns,
  selection: z
    .string({ error: 'expected a selection expression such as "M2 > 0 && labels >= 0"' })
    .superRefine((expr, ctx) => {
      try {
        compileExpression(expr);
      } catch (e) {
        if (!(e instanceof FomlabError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message });
      }
    })
    .optional(),
  split: split.default(DEFAULT_SPLIT),
  nan: oneOf(['error', 'drop', 'fill']).default('error'),
  fillValue: z.number({ error: 'expected a number' }).default(0),
  scaling: oneOf(SCALING_KINDS).default('none'),
  /**
   * per process id (the category column): weight = σ·L/N_gen·scale, L = search.sensitivity.lumi;
   * replaces the weight column. E.g. processes: {0: {crossSection: 12, nGenerated: 1e6}, 1: {…}}
   */
  /**
   * per-class fractions of the training split kept for training (thesis TC2: {signal: 1, background: 0.1};
   * TC3: both 0.1), drawn with the split's seed; kept events' weights are scaled by 1/fraction so the
   * weighted totals (B, and ε through N_gen) are preserved. Validation and test are untouched.
   */
  trainFraction: section({
    signal: z.number().gt(0, { error: 'expected a fraction in (0, 1]' }).max(1, { error: 'expected a fraction in (0, 1]' }).default(1),
    background: z.number().gt(0, { error: 'expected a fraction in (0, 1]' }).max(1, { error: 'expected a fraction in (0, 1]' }).default(1),
  }).optional(),
  /**
   * the training split's event weights: 'events' (default) the weight column; 'unit' every training
   * event weighs 1, so balanced COUNTS train as balanced sets (the mass-unspecific study's μNN/μBDT:
   * 5,000 signal + 5,000 background per m_T^rec interval, arXiv:2503.20926, which the VLQ generation
   * gives per mass and per m_ZWj slice). Validation and test (every figure) keep the weight column.
   */
  trainWeights: oneOf(['events', 'unit']).default('events'),
  processes: z.record(z.string().regex(/^-?\d+$/, { error: 'expected a process id (an integer of the category column)' }), process).optional(),
})
  .superRefine((d, ctx) => {
    d.files.forEach((f, i) => {
      if ((f.crossSection === undefined) !== (f.nGenerated === undefined)) ctx.addIssue({ code: 'custom', path: ['files', i], message: 'give crossSection and nGenerated together (weight = σ·L/N_gen)' });
      if (f.crossSection !== undefined && f.weight !== undefined) ctx.addIssue({ code: 'custom', path: ['files', i], message: 'give either weight or crossSection with nGenerated, not both' });
    });
    if (d.processes && d.columns.category === undefined && !d.files.every((f) => f.category !== undefined)) ctx.addIssue({ code: 'custom', path: ['processes'], message: 'needs the process id of each event: map columns.category or give each file a category' });
  });

export type DataConfig = z.infer<typeof dataSchema>;
export type FileEntry = DataConfig['files'][number];
export type NanPolicy = DataConfig['nan'];
export type { SplitConfig };
