/**
 * The registry of losses. A loss is one module (src/losses/<name>.ts) with the schema of its
 * options and a pure function of the batch's output probabilities; config validation, the
 * trainer, judging and the report look losses up here and never branch on their names. Adding a
 * loss is its module plus one line in `BUILT_IN` below.
 *
 * A training stage's loss is a list of TERMS, L = Σ_t λ_t · L_t, each with its loss, weight λ_t and
 * data scope (which events of the batch it sees). The single-loss syntax `loss: bce` (options as
 * keys of the stage) is the one-term list with λ = 1 over all events:
 *
 *   loss: punzi                       # one term; aggregate, sharpness… as keys of the stage
 *   loss:                             # terms, each with its own options
 *     - {loss: bce, weight: 1}
 *     - {loss: focal, weight: 0.5, gamma: 2, scope: {events: background}}
 *   loss:                             # the H→Zγ study's eq. 6: classifier in the narrow window,
 *     - {loss: extreme, scope: {mass: [120, 130]}}          # DisCo on background in the wide one
 *     - {loss: disco, weight: 50, scope: {events: background, mass: [100, 180]}}
 */
import { z } from 'zod';
import { didYouMean } from '../core/errors.js';
import type { Tensor } from '../core/index.js';
import type { SensitivityParams, SigmaMinForm } from '../physics/fom.js';
import { bce } from './bce.js';
import { asimov } from './asimov.js';
import { disco } from './disco.js';
import { extreme } from './extreme.js';
import { focal } from './focal.js';
import { lovaszZ } from './lovasz-z.js';
import { processWeighted, type SplitProcesses } from './process-weighted.js';
import { punzi, type PunziIncidence } from './punzi.js';

/**
 * Which events of a batch a term sees. `events`: all, or only signal / background (by label);
 * `window`: 'training' keeps the events inside some training hypothesis's mass window, 'any' does
 * not restrict by window. Punzi's per-hypothesis incidence (signal of hypothesis h in window h,
 * background in window h) is what `LossBatch.incidence()` gives a term.
 * `mass: [low, high]` (optional) keeps the events with low ≤ m < high on the data's mass column
 * (data.columns.mass, as stored), e.g. the H→Zγ study's narrow (120–130 GeV) and wide
 * (100–180 GeV) windows. With a mass range the window defaults to 'any': the range alone decides.
 * The events that reach training are the union of every term's scope (train/prepare.ts), so a
 * DisCo term over background in 100–180 GeV sees background outside the 120–130 GeV search
 * window while the classifier term (window 'training') still sees only the window's events.
 */
export const SCOPE_EVENTS = ['all', 'signal', 'background'] as const;
export const SCOPE_WINDOWS = ['training', 'any'] as const;
export interface LossScope {
  events: (typeof SCOPE_EVENTS)[number];
  window: (typeof SCOPE_WINDOWS)[number];
  mass?: readonly [number, number];
}
export const DEFAULT_SCOPE: LossScope = { events: 'all', window: 'training' };

/** What a loss term sees of one batch (or a whole split): the events of its scope in the batch. */
export interface LossBatch {
  /** the events (indices into the split) in batch order; null: every event of the split */
  readonly rows: Int32Array | null;
  /** the whole split's events / the batch's events (1 for the whole split): scales batch sums to the split */
  readonly scale: number;
  /** per-event arrays of the whole split, indexed by `rows` (for fused kernels that gather themselves) */
  readonly split: { labels: Float32Array; weights: Float32Array; balancedWeights: Float32Array };
  /** labels (1 signal, 0 background) of the batch's events, in batch order */
  labels(): Float32Array;
  /** the mass column (data.columns.mass) of the batch's events, in batch order (DisCo's second variable) */
  mass(): Float32Array;
  /** luminosity weights of the batch's events, or with signal scaled to the background's sum (balanced) */
  weights(balanced: boolean): Float32Array;
  /** Punzi's per-hypothesis incidence of the batch's events, sums scaled to the whole split */
  incidence(): PunziIncidence;
  /** the batch's process ids (category column) with the processes' σ_i, N_i and L; null without data.processes */
  processes(): SplitProcesses | null;
}

/** What the run gives every term: the search's sensitivity parameters and where the stage is. */
export interface LossContext {
  sensitivity: SensitivityParams & { form: SigmaMinForm };
  /** epoch (0-based) within the stage and the stage's epochs, for annealed options */
  epoch: number;
  epochs: number;
}

/** A model's fused kernels a loss may use instead of the autograd path (see models/registry.ts). */
export interface FusedModel {
  bceStep?(x: Tensor, target: Float32Array, weight: Float32Array | null, rows: Int32Array | null): number;
}

export interface LossModule<O = unknown> {
  readonly name: string;
  /** schema of its options (a strict `section`, with defaults) */
  readonly options: z.ZodType<O>;
  /** the loss value (a scalar tensor) of the output probabilities p (length = the batch's events) */
  value(p: Tensor, batch: LossBatch, o: O, ctx: LossContext): Tensor;
  /** axis title of its curves, e.g. 'BCE' */
  label(o: O): string;
  /** the method the report calls nets whose training ends with a stage led by this loss */
  readonly method: { name: string; label: string };
  /** gathers window entries per batch: batches listed in ascending event order pay (same set, other sum order) */
  readonly ascendingBatches?: boolean;
  /** weights events by their process: needs data.processes and the category column (checked before training) */
  readonly needsProcesses?: boolean;
  /** true when these options change over the stage's epochs (a schedule spanning the stage, so it depends on the epoch count) */
  annealed?(o: O): boolean;
  /** forward + loss + backward in one kernel call where the model has one; undefined: use `value` */
  fusedStep?(model: FusedModel, x: Tensor, batch: LossBatch, o: O): number | undefined;
}

/** Registration: one line per loss. */
const BUILT_IN: LossModule<never>[] = [bce, punzi, focal, lovaszZ, asimov, processWeighted, extreme, disco] as LossModule<never>[];

const losses = new Map<string, LossModule<unknown>>(BUILT_IN.map((l) => [l.name, l as LossModule<unknown>]));

/** Adds a loss at run time (in this thread; worker threads see the built-in losses). */
export function registerLoss<O>(l: LossModule<O>): void {
  if (losses.has(l.name)) throw new Error(`loss '${l.name}' is registered already`);
  losses.set(l.name, l as LossModule<unknown>);
}

export function lossNames(): string[] {
  return [...losses.keys()];
}

export function lossModule(name: string): LossModule<unknown> | undefined {
  return losses.get(name);
}

/** One term of a stage's loss, resolved: its module, validated options, weight λ and scope. */
export interface LossTerm {
  module: LossModule<unknown>;
  options: unknown;
  weight: number;
  scope: LossScope;
}

/** A term as written in the config list. */
export interface LossTermConfig {
  loss: string;
  weight?: number;
  scope?: Partial<LossScope>;
  [option: string]: unknown;
}

export interface TermIssue {
  /** key path relative to the stage, e.g. ['loss', 1, 'gamma'] */
  path: Array<string | number>;
  message: string;
}

const weightSchema = z.number({ error: 'expected a number > 0' }).positive({ error: 'expected a number > 0' });
const scopeSchema = z.strictObject(
  {
    events: z.enum(SCOPE_EVENTS, { error: `expected one of ${SCOPE_EVENTS.join(', ')}` }).default('all'),
    window: z.enum(SCOPE_WINDOWS, { error: `expected one of ${SCOPE_WINDOWS.join(', ')}` }).optional(),
    mass: z
      .tuple([z.number(), z.number()], { error: 'expected [low, high] on the mass column, e.g. [120, 130]' })
      .refine((r) => r[0] < r[1], { error: 'expected [low, high] with low < high' })
      .optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? iss.keys.map((k) => `${k}: unknown key${didYouMean(k, ['events', 'window', 'mass'])}`).join('\n') : 'expected a mapping {events, window, mass}') },
);

function issuesOf(e: z.ZodError, prefix: Array<string | number>): TermIssue[] {
  return e.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [...prefix, k], message: i.message.split('\n').find((l) => l.startsWith(`${k}:`))?.slice(k.length + 2) ?? 'unknown key' }));
    return [{ path: [...prefix, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message }];
  });
}

function resolveOne(name: unknown, options: Record<string, unknown>, at: Array<string | number>, namePath: Array<string | number>, issues: TermIssue[]): LossModule<unknown> | undefined {
  if (typeof name !== 'string') {
    issues.push({ path: namePath, message: `expected a loss name (one of ${lossNames().join(', ')})` });
    return undefined;
  }
  const m = losses.get(name);
  if (!m) {
    issues.push({ path: namePath, message: `unknown loss '${name}'${didYouMean(name, losses.keys())} (one of ${lossNames().join(', ')})` });
    return undefined;
  }
  const r = m.options.safeParse(options);
  if (!r.success) issues.push(...issuesOf(r.error, at));
  return m;
}

/**
 * The terms of a stage's `loss:` — a loss name (its options are the stage's other keys,
 * `stageOptions`) or a list of terms — validated by each loss's schema. Issues name key paths
 * relative to the stage.
 */
export function resolveLossTerms(loss: unknown, stageOptions: Record<string, unknown>): { terms: LossTerm[]; issues: TermIssue[] } {
  const issues: TermIssue[] = [];
  const terms: LossTerm[] = [];
  if (typeof loss === 'string') {
    const m = resolveOne(loss, stageOptions, [], ['loss'], issues);
    if (m && !issues.length) terms.push({ module: m, options: m.options.parse(stageOptions), weight: 1, scope: DEFAULT_SCOPE });
    return { terms, issues };
  }
  if (!Array.isArray(loss) || loss.length === 0) {
    issues.push({ path: ['loss'], message: `expected a loss name (one of ${lossNames().join(', ')}) or a list of terms {loss, weight, scope, …}` });
    return { terms, issues };
  }
  for (const k of Object.keys(stageOptions)) issues.push({ path: [k], message: 'unknown key (with a list of loss terms, options go into each term)' });
  loss.forEach((t: unknown, i) => {
    const at: Array<string | number> = ['loss', i];
    if (typeof t !== 'object' || t === null || Array.isArray(t)) {
      issues.push({ path: at, message: 'expected a term {loss, weight, scope, …}' });
      return;
    }
    const { loss: name, weight = 1, scope = {}, ...options } = t as Record<string, unknown>;
    const before = issues.length;
    const m = resolveOne(name, options, at, [...at, 'loss'], issues);
    const w = weightSchema.safeParse(weight);
    if (!w.success) issues.push({ path: [...at, 'weight'], message: w.error.issues[0].message });
    const s = scopeSchema.safeParse(scope);
    if (!s.success) issues.push(...issuesOf(s.error, [...at, 'scope']));
    if (m && issues.length === before && w.success && s.success) terms.push({ module: m, options: m.options.parse(options), weight: w.data, scope: resolvedScope(s.data) });
  });
  return { terms, issues };
}

/** A scope's window: as written, else 'any' when it names a mass range (the range alone decides), else 'training'. */
function resolvedScope(s: { events: LossScope['events']; window?: LossScope['window']; mass?: readonly [number, number] }): LossScope {
  return { events: s.events, window: s.window ?? (s.mass ? 'any' : 'training'), ...(s.mass ? { mass: s.mass } : {}) };
}

/** The name a stage's terms give it (`bce`, `bce+disco`). */
export function termsName(terms: LossTerm[]): string {
  return terms.map((t) => t.module.name).join('+');
}

/** Axis title of a stage's loss: one term's label, or the weighted sum of the terms' labels. */
export function termsLabel(terms: LossTerm[]): string {
  if (terms.length === 1 && terms[0].weight === 1) return terms[0].module.label(terms[0].options);
  return terms.map((t) => `${t.weight === 1 ? '' : `${t.weight}·`}${t.module.label(t.options)}`).join(' + ');
}
