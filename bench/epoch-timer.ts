/** Seconds per epoch of a training run: the minimum over epochs 2…k (epoch 1 warms up); `train` calls `onEpoch` after each epoch. */
export function epochSeconds(train: (onEpoch: () => void) => void): number {
  let last = performance.now(), best = Infinity, k = 0;
  train(() => {
    const now = performance.now();
    if (k++ > 0) best = Math.min(best, (now - last) / 1000);
    last = now;
  });
  return best;
}
