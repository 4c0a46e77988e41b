import { existsSync, rmSync } from 'node:fs';
import { loadTrainedNet, loadTrainerState, saveTrainedNet, saveTrainerState } from './checkpoint.js';
import { trainNet, type TrainedNet, type TrainNetInput } from './trainer.js';

/** One ensemble member as a pool task (runs in a worker thread; see exec/pool.ts). */
export interface MemberTask extends Omit<TrainNetInput, 'onEpoch' | 'resume'> {
  member: number;
  /** where the member keeps its checkpoint and, when done, its trained net */
  checkpointPath: string;
  donePath: string;
  /** continue from the checkpoint (or reuse the finished net) if there is one */
  resume: boolean;
  /** epochs done, per member (shared counter for the progress bar) */
  progress?: Int32Array;
  /** write the checkpoint every this many epochs (and always when stopping) */
  checkpointEvery: number;
}

export function trainMember(t: MemberTask): TrainedNet {
  if (t.resume && existsSync(t.donePath)) {
    rmSync(t.checkpointPath, { force: true }); // a kill between writing the net and removing its checkpoint
    return loadTrainedNet(t.donePath);
  }
  const resume = t.resume && existsSync(t.checkpointPath) ? loadTrainerState(t.checkpointPath) : undefined;
  if (resume && t.progress) {
    const done = resume.logs.reduce((s, l) => s + l.epochs.length, 0);
    Atomics.store(t.progress, t.member, done);
  }
  let epochs = 0;
  const net = trainNet({
    ...t,
    resume,
    onEpoch: (state, _log, _stage) => {
      epochs++;
      if (t.progress) Atomics.add(t.progress, t.member, 1);
      const stopping = t.stop !== undefined && Atomics.load(t.stop, 0) !== 0;
      if (stopping || epochs % t.checkpointEvery === 0) saveTrainerState(t.checkpointPath, state());
    },
  });
  if (net.stopped === 'interrupted') return net; // the checkpoint holds the state to resume from
  saveTrainedNet(t.donePath, net);
  rmSync(t.checkpointPath, { force: true });
  return net;
}
