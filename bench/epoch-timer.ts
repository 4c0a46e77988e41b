/** Wall and CPU seconds (process.cpuUsage, user + system) of the fastest epoch of a training run. */
export interface EpochTimes {
  wall: number;
  /** the CPU seconds of the epoch with the least wall time (on a loaded machine the steadier figure) */
  cpu: number;
}

/** Times per epoch of a training run: the fastest of epochs 2…k (epoch 1 warms up); `train` calls `onEpoch` after each epoch. */
export function epochTimes(train: (onEpoch: () => void) => void): EpochTimes {
  let last = performance.now(), lastCpu = process.cpuUsage(), best: EpochTimes = { wall: Infinity, cpu: Infinity }, k = 0;
  train(() => {
    const now = performance.now(), cpu = process.cpuUsage(lastCpu);
    if (k++ > 0 && (now - last) / 1000 < best.wall) best = { wall: (now - last) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
    last = now;
    lastCpu = process.cpuUsage();
  });
  return best;
}

/** Seconds per epoch of a training run: the minimum over epochs 2…k (epoch 1 warms up); `train` calls `onEpoch` after each epoch. */
export function epochSeconds(train: (onEpoch: () => void) => void): number {
  return epochTimes(train).wall;
}
