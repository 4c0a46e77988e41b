import { z } from 'zod';
import { didYouMean } from '../core/errors.js';

/**
 * Building blocks shared by every config section: a strict mapping whose unknown keys are errors
 * with near matches, and the formatter that turns zod issues into
 * `config.yaml: data.split.train: expected a number between 0 and 1, got "0.8x"`.
 *
 * Convention: a schema's message says what was expected ("expected …"); the formatter appends
 * what the file held (", got …") and the key path.
 */

/** A mapping with exactly the keys of `shape`; `what` describes it when the value is not a mapping. */
export function section<T extends z.ZodRawShape>(shape: T, what?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => `${k}: unknown key${didYouMean(k, known)}`).join('\n');
      return what ?? `expected a mapping with the keys ${known.join(', ')}`;
    },
  });
}

/** `expected …` message for a number in [lo, hi] (bounds inclusive). */
export function numberBetween(lo: number, hi: number, what = 'a number') {
  const error = `expected ${what} between ${lo} and ${hi}`;
  return z.number({ error }).min(lo, { error }).max(hi, { error });
}

/** One of a few words; a misspelling gets near matches from the formatter. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(', ')}` });
}

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `data.files[2].path` */
export function keyPath(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}

function valueAt(raw: unknown, path: readonly PathKey[]): { found: boolean; value: unknown } {
  let v: unknown = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !(k in (v as object))) return { found: false, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: v };
}

/** How a YAML value reads in a message. */
export function show(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return `a list (${v.length} item${v.length === 1 ? '' : 's'})`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function issueLines(iss: Issue, raw: unknown): string[] {
  if (iss.code === 'unrecognized_keys') {
    const lines = iss.message.includes('unknown key') ? iss.message.split('\n') : iss.keys.map((k) => `${k}: unknown key`);
    const base = keyPath(iss.path);
    return lines.map((l) => (base ? `${base}.${l}` : l));
  }
  if (iss.code === 'invalid_union') {
    // the branch whose type matched (a mapping for a mapping …) with the fewest problems is the one
    // the user meant; when none matched, the union's own message says what was expected
    const branches = iss.errors.filter((errs) => errs.length && !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')));
    const size = (errs: readonly Issue[]) => errs.reduce((s, e) => s + (e.code === 'unrecognized_keys' ? e.keys.length : 1), 0);
    const best = branches.sort((a, b) => size(a) - size(b))[0];
    if (best) return best.flatMap((e) => issueLines({ ...e, path: [...iss.path, ...e.path] } as Issue, raw));
  }
  const where = keyPath(iss.path);
  const { found, value } = valueAt(raw, iss.path);
  let msg = iss.message;
  if (msg.startsWith('expected') && !msg.includes(', got')) {
    if (!found) msg = `missing (${msg})`;
    else {
      msg += `, got ${show(value)}`;
      if (iss.code === 'invalid_value' && typeof value === 'string') msg += didYouMean(value, iss.values.map(String));
    }
  }
  return [where ? `${where}: ${msg}` : msg];
}

/** One line per problem, each starting with the file name and the key path. */
export function formatIssues(issues: readonly Issue[], raw: unknown, sourceName: string): string {
  // unknown keys first: a misspelt key is usually why a required one is "missing" — that line is dropped
  const sorted = [...issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const lines = sorted.flatMap((i) => issueLines(i, raw));
  const suggested = new Set<string>();
  for (const l of lines) {
    const m = /^(.*?)([^.\]]+): unknown key \(did you mean: ([^,?]+)/.exec(l);
    if (m) suggested.add(`${m[1]}${m[3]}`);
  }
  const kept = lines.filter((l) => !(/: missing \(/.test(l) && suggested.has(l.slice(0, l.indexOf(': missing (')))));
  return kept.map((l) => `${sourceName}: ${l}`).join('\n');
}
