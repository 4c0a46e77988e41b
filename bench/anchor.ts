// Running the PyTorch / XGBoost programs of ../shared/anchors beside a fomlab figure (same machine, same run).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const anchorsDir = fileURLToPath(new URL('../../shared/anchors', import.meta.url));

let python: string | null | undefined;
/** a python3 that imports torch (Debian's /usr/bin/python3 first: a pyenv python3 may shadow it) */
export function torchPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return (python = py);
  }
  return python;
}

/** Runs python3-with-torch on `args`; returns the `name seconds_per_epoch=…` figures it printed, or why it was skipped. */
export function runPython(args: string[]): Map<string, number> | string {
  const py = torchPython();
  if (!py) return 'skipped: no python3 with torch found';
  const r = spawnSync(py, args, { encoding: 'utf8', timeout: 1_200_000 });
  if (r.status !== 0) return `skipped: anchor failed (${(r.stderr ?? '').trim().split('\n').pop()})`;
  const m = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const g = /^(\S+) seconds_per_epoch=([\d.eE+-]+)/.exec(line);
    if (g) m.set(g[1], Number(g[2]));
  }
  return m;
}

/** Runs a script of ../shared/anchors (see runPython). */
export function runAnchor(script: string, args: string[]): Map<string, number> | string {
  const path = `${anchorsDir}/${script}`;
  if (!existsSync(path)) return `skipped: ${path} not found`;
  return runPython([path, ...args]);
}

/** One benchmark line: {what, events, seconds, …, anchor_seconds, ratio} with ratio = anchor / ours (> 1: fomlab faster). */
export function benchLine(what: string, events: number, seconds: number, anchor: number | string | undefined, extra: Record<string, unknown> = {}): void {
  const line: Record<string, unknown> = { what, events, seconds: +seconds.toPrecision(4), ...extra };
  if (typeof anchor === 'number') {
    line.anchor_seconds = +anchor.toPrecision(4);
    line.ratio = +(anchor / seconds).toFixed(2);
  } else if (typeof anchor === 'string') line.anchor = anchor;
  console.log(JSON.stringify(line));
}
