import cliProgress from 'cli-progress';

/** A progress bar for long work; silent when stderr is not a terminal (CI, pipes, tests). */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, unit = 'events'): Progress {
  if (!process.stderr.isTTY || process.env.FOMLAB_NO_PROGRESS) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (d) => bar.update(d), stop: () => bar.stop() };
}
