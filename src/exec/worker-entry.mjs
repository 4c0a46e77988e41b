// Plain-JS entry of a pool worker thread: registers tsx so the TypeScript worker (and the task
// modules it imports) load without a build step, as bin/fomlab.mjs does for the main thread.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
