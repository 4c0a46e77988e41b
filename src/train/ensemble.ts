import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { keepKernelsSerial } from '../core/kernels/index.js';
import { progressBar } from '../core/progress.js';
import { runTasks } from '../exec/pool.js';
import type { MemberTask } from './member.js';
import { eventTable, type PunziRows } from './punzi-data.js';
import type { SplitArrays, TrainedNet, TrainNetInput, ValidationFigure } from './trainer.js';

export interface EnsembleOptions {
  members: number;
  baseSeed: number;
  workers?: number;
  checkpointDir: string;
  resume: boolean;
  checkpointEvery?: number;
  /** set stop[0] = 1 (e.g. on Ctrl-C) to stop every member after its current epoch */
  stop: Int32Array;
}

/** Seed of ensemble member k: distinct, reproducible, independent of the number of workers. */
export function memberSeed(base: number, k: number): number {
  return base * 1000 + k;
}

type Typed = Float32Array | Float64Array | Int32Array;

function shared<T extends Typed>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T };
  const s = new Ctor(new SharedArrayBuffer(a.byteLength));
  s.set(a as never);
  return s;
}

/** The split with its arrays in shared memory: workers read one copy, none is cloned; Punzi's event table built once for all members. */
function shareSplit(s: SplitArrays): SplitArrays {
  const p: PunziRows = {
    ...s.punzi, sigOffsets: shared(s.punzi.sigOffsets), sigEvents: shared(s.punzi.sigEvents), sigCoef: shared(s.punzi.sigCoef),
    bkgOffsets: shared(s.punzi.bkgOffsets), bkgEvents: shared(s.punzi.bkgEvents), bkgCoef: shared(s.punzi.bkgCoef),
  };
  const t = eventTable(p);
  p.byEvent = { first: shared(t.first), moreOffsets: shared(t.moreOffsets), moreCode: shared(t.moreCode), moreCoef: shared(t.moreCoef), widest: t.widest, of: t.of };
  return { ...s, x: shared(s.x), labels: shared(s.labels), weights: shared(s.weights), bceWeights: shared(s.bceWeights), mass: shared(s.mass), punzi: p };
}

/** The validation figure's arrays in shared memory too (else every member's task carried its own copy of them). */
function shareFigure(f: ValidationFigure | undefined): ValidationFigure | undefined {
  if (!f) return undefined;
  const inc = f.incidence;
  return {
    ...f, x: shared(f.x), weights: shared(f.weights),
    incidence: {
      ...inc, signal: { offsets: shared(inc.signal.offsets), events: shared(inc.signal.events) },
      background: { offsets: shared(inc.background.offsets), events: shared(inc.background.events) },
    },
  };
}

// member.ts from the sources, member.js when compiled (dist/)
const memberModule = fileURLToPath(new URL(`./member${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * Trains `members` nets with seeds memberSeed(base, k) in parallel over worker threads (one per
 * core by default), each checkpointing into `checkpointDir`; a progress bar counts epochs. The
 * workers start (loading the trainer's modules, ~0.3 s CPU each) while this thread lays the splits
 * out in shared memory and builds Punzi's event table: the two serial phases before the first net
 * overlap.
 */
export async function trainEnsemble(inp: Omit<TrainNetInput, 'seed' | 'stop' | 'resume' | 'onEpoch'>, o: EnsembleOptions): Promise<TrainedNet[]> {
  const progress = new Int32Array(new SharedArrayBuffer(4 * o.members));
  const epochsPerNet = inp.stages.reduce((s, st) => s + st.epochs, 0);
  /** the members' tasks over the split in shared memory: built while the workers start (runTasks LazyTasks) */
  const build = () => {
    const train = shareSplit(inp.train), validation = shareSplit(inp.validation), figure = shareFigure(inp.figure);
    return Array.from({ length: o.members }, (_, k) => {
      const task: MemberTask = {
        ...inp, train, validation, ...(figure ? { figure } : {}), member: k, seed: memberSeed(o.baseSeed, k), stop: o.stop, progress, resume: o.resume,
        checkpointPath: join(o.checkpointDir, `net-${k}.ckpt.safetensors`), donePath: join(o.checkpointDir, `net-${k}.safetensors`),
        checkpointEvery: o.checkpointEvery ?? 25,
      };
      return { module: memberModule, exportName: 'trainMember', args: [task] };
    });
  };
  const bar = progressBar(`training ${o.members} net${o.members > 1 ? 's' : ''}`, o.members * epochsPerNet, 'epochs');
  const timer = setInterval(() => bar.update(progress.reduce((a, b) => a + b, 0)), 250);
  // one worker per core: each keeps its kernels on its own thread (no second pool thread per core) until fewer nets
  // than workers are left: then the last nets' kernels take the idle cores (the addon's pool splits a kernel into the
  // same parts serial or not, so the numbers do not change). 25 nets on 2 workers: the 25th runs alone, 1/13 of the wall.
  const nWorkers = Math.min(o.workers ?? availableParallelism(), o.members), parallel = nWorkers > 1;
  if (parallel) keepKernelsSerial(true);
  const onProgress = (done: number, total: number): void => { if (parallel && total - done < nWorkers) keepKernelsSerial(false); };
  try {
    return await runTasks<TrainedNet>({ count: o.members, module: memberModule, build }, { workers: o.workers, onProgress });
  } finally {
    if (parallel) keepKernelsSerial(false);
    clearInterval(timer);
    bar.update(progress.reduce((a, b) => a + b, 0));
    bar.stop();
  }
}
