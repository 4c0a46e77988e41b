/** Wall and CPU seconds (whole process, all threads) per epoch of a training run: the minimum of each over epochs 2…k (epoch 1 warms up). */
export function epochTimes(train: (onEpoch: () => void) => void): { wall: number; cpu: number } {
  let last = performance.now(), lastCpu = process.cpuUsage(), wall = Infinity, cpu = Infinity, k = 0;
  train(() => {
    const now = performance.now(), c = process.cpuUsage(lastCpu);
    if (k++ > 0) {
      wall = Math.min(wall, (now - last) / 1000);
      cpu = Math.min(cpu, (c.user + c.system) / 1e6);
    }
    last = now;
    lastCpu = process.cpuUsage();
  });
  return { wall, cpu };
}

/** Seconds per epoch of a training run: the minimum over epochs 2…k (epoch 1 warms up); `train` calls `onEpoch` after each epoch. */
export function epochSeconds(train: (onEpoch: () => void) => void): number {
  return epochTimes(train).wall;
}
