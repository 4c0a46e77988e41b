/**
 * One error type for everything a user can get wrong (file, column, setting): the CLI prints its
 * message alone and exits with `exitCode`; anything else is a bug and prints a stack.
 */
export class FomlabError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'FomlabError';
    this.exitCode = exitCode;
  }
}

/** Levenshtein distance (small strings only: names of columns, trees, config keys). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The candidates closest to `name` (case-insensitive), for "did you mean" lines. */
export function nearMatches(name: string, candidates: Iterable<string>, most = 3): string[] {
  const low = name.toLowerCase();
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let d = editDistance(low, cl);
    if (cl.includes(low) || low.includes(cl)) d = Math.min(d, 1);
    if (d <= Math.max(2, Math.floor(name.length / 2))) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return scored.slice(0, most).map((s) => s[1]);
}

/** " (did you mean: a, b?)" or "" — appended to not-found messages. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearMatches(name, candidates);
  return near.length ? ` (did you mean: ${near.join(', ')}?)` : '';
}
