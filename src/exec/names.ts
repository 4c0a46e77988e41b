import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** The batch-system name of a sweep's jobs: `fomlab-<folder>-<hash of its path>` (unique per sweep folder). */
export function batchName(dir: string): string {
  const tag = createHash('sha256').update(dir).digest('hex').slice(0, 8);
  return `fomlab-${basename(dir).replace(/[^\w.-]/g, '').slice(0, 40)}-${tag}`;
}
