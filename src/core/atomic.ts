import { mkdirSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { FomlabError } from './errors.js';

/** A temporary path beside `target`, so that the final rename stays on one file system. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/*
 * Temporary files being written right now. Ctrl-C (SIGINT), SIGTERM or process.exit() removes
 * them, so an interrupted write leaves neither half a file nor a hidden .tmp behind. The signal
 * handlers are installed with the first temporary file; when no other part of fomlab listens to
 * the signal (training listens to SIGINT to stop after the epoch), the process then exits with
 * the shell's code for it, 128 + signal number: 130 (SIGINT), 143 (SIGTERM).
 */
const liveTemps = new Set<string>();
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
let handlersInstalled = false;

function removeLiveTemps(): void {
  for (const p of liveTemps) rmSync(p, { force: true });
  liveTemps.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', removeLiveTemps);
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    const onSignal = (): void => {
      removeLiveTemps();
      if (process.listenerCount(signal) === 1) process.exit(code);
    };
    process.on(signal, onSignal);
  }
}

/** Registers a temporary file for removal on Ctrl-C/SIGTERM/exit; returns `path`. */
export function trackTemp(path: string): string {
  installHandlers();
  liveTemps.add(path);
  return path;
}

/** The temporary file was renamed into place or removed: forget it. */
export function untrackTemp(path: string): void {
  liveTemps.delete(path);
}

/** Temporary files currently registered (for tests). */
export function trackedTemps(): string[] {
  return [...liveTemps];
}

/**
 * Refuses to replace a file its owner made read-only (mode without u+w): a rename over it would
 * succeed, silently losing the protection and the contents.
 */
export function checkReplaceable(target: string): void {
  let mode: number;
  try {
    mode = statSync(target).mode;
  } catch {
    return; // absent: nothing to protect
  }
  if ((mode & 0o200) === 0) throw new FomlabError(`${target}: the file is read-only; not replacing it (make it writable with chmod u+w, or write elsewhere)`);
}

/**
 * Writes all of `bytes` at the file position (a write may be short when the disk fills up or a
 * file-size limit is reached; the next one then fails with ENOSPC/EFBIG, which is thrown).
 */
export function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) {
    const n = writeSync(fd, bytes, done, bytes.length - done);
    if (n <= 0) throw Object.assign(new Error('no bytes written'), { code: 'EIO' });
    done += n;
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file would exceed the file-size limit (ulimit -f) or the file system maximum',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent of it is not a directory',
};

/** One line for a failed write of `target`, naming the cause in words; nothing was written. */
export function writeError(target: string, e: unknown): FomlabError {
  if (e instanceof FomlabError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const why = WRITE_ERRORS[code] ? `${WRITE_ERRORS[code]} (${code})` : (e as Error).message;
  return new FomlabError(`${target}: cannot write: ${why}; nothing was written`);
}

/**
 * Writes through a temporary file and renames it into place: a reader never sees half a file,
 * and a failure (or an exception thrown by `write`) leaves nothing behind.
 */
export async function writeAtomically(target: string, write: (tmpPath: string) => Promise<void> | void): Promise<void> {
  checkReplaceable(target);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = trackTemp(tempPathFor(target));
  try {
    await write(tmp);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    untrackTemp(tmp);
  }
}

/** Atomic write of bytes or text. */
export function writeFileAtomically(target: string, data: string | Uint8Array): void {
  checkReplaceable(target);
  mkdirSync(dirname(target), { recursive: true });
  // tracked (the signal handlers installed) before the file exists: a Ctrl-C then waits for the rename
  const tmp = trackTemp(tempPathFor(target));
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(target, e);
  } finally {
    untrackTemp(tmp);
  }
}
