// Tasks for the pool test.
import { threadId } from 'node:worker_threads';
import { FomlabError } from '../../src/core/errors.js';

/** Σ data[i]·k over a shared array, plus which thread did it. */
export function weightedSum(data: Float32Array, k: number): { sum: number; thread: number } {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i] * k;
  return { sum: s, thread: threadId };
}

export function failing(setting: string): never {
  throw new FomlabError(`bad setting '${setting}'`);
}
