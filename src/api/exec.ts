// fomlab.exec: the local worker pool.
export { runTasks, shareArray, type Task, type PoolOptions, type LazyTasks } from '../exec/pool.js';
// the executor: job specs and their files, the backends (local pool, Slurm, HTCondor), sweeps
export { jobId, writeJobScript, exitCodeOf, shellQuote, type JobSpec, type JobState } from '../exec/job.js';
export { runTool, megabytes, seconds, type Backend, type BatchOptions } from '../exec/backend.js';
export { submitJobs, type SweepHandle, type SweepProgress, type WaitOptions, type JobOutcome } from '../exec/executor.js';
export { LocalBackend } from '../exec/local.js';
export { SlurmBackend, parseSqueue, parseSacct } from '../exec/slurm.js';
export { CondorBackend, condorSubmitDescription, parseCondorQ, parseCondorHistory, sweepConstraint } from '../exec/condor.js';
export { batchName } from '../exec/names.js';
export { planSweep, type SweepPlan, type SweepJob, type PlanOptions } from '../exec/sweep.js';
export { sweepRow, sweepTable, writeSweepSummary, SWEEP_SUMMARY_SCHEMA, type SweepRow } from '../exec/aggregate.js';
