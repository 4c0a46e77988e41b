// fomlab.exec: the local worker pool.
export { runTasks, shareArray, type Task, type PoolOptions } from '../exec/pool.js';
