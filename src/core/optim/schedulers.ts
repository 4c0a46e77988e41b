/**
 * Learning-rate schedulers with PyTorch semantics (torch.optim.lr_scheduler): ReduceLROnPlateau,
 * StepLR, CosineAnnealingLR. Each sets `optimizer.lr`; call `step()` once per epoch (after the
 * optimiser steps), ReduceLROnPlateau with the monitored metric.
 */
import { FomlabError } from '../errors.js';
import type { Optimizer } from './optimizers.js';

/** A scheduler's counters (PyTorch's `scheduler.state_dict()`): restoring them continues the same lr sequence. */
export type SchedulerState = Record<string, number>;

/** Copies the named numeric fields of a scheduler out of / into it. */
function countersOf(s: object, keys: readonly string[]): SchedulerState {
  const r = s as Record<string, number>;
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}
function loadCounters(s: object, keys: readonly string[], state: SchedulerState, what: string): void {
  for (const k of keys) {
    if (typeof state[k] !== 'number') throw new FomlabError(`${what} state lacks '${k}'`);
    (s as Record<string, number>)[k] = state[k];
  }
}

export interface PlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number;
  /** reductions smaller than this are ignored */
  eps?: number;
}

/**
 * ReduceLROnPlateau: a metric is better than `best` when (min, rel) m < best·(1−threshold),
 * (min, abs) m < best − threshold, (max, rel) m > best·(1+threshold), (max, abs) m > best +
 * threshold. After more than `patience` epochs without improvement lr ← max(lr·factor, minLr),
 * then `cooldown` epochs during which bad epochs are not counted.
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(readonly optimizer: Optimizer, o: PlateauOptions = {}) {
    this.mode = o.mode ?? 'min';
    this.factor = o.factor ?? 0.1;
    if (this.factor >= 1) throw new FomlabError(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = o.patience ?? 10;
    this.threshold = o.threshold ?? 1e-4;
    this.thresholdMode = o.thresholdMode ?? 'rel';
    this.cooldown = o.cooldown ?? 0;
    this.minLr = o.minLr ?? 0;
    this.eps = o.eps ?? 1e-8;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (1 + t) : a > best + t;
  }

  private static readonly counters = ['best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const;
  stateDict(): SchedulerState {
    return countersOf(this, ReduceLROnPlateau.counters);
  }
  loadStateDict(state: SchedulerState): void {
    loadCounters(this, ReduceLROnPlateau.counters, state, 'ReduceLROnPlateau');
  }

  /** Feeds one epoch's metric; returns the (possibly reduced) lr. */
  step(metric: number): number {
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const old = this.optimizer.lr;
      const lr = Math.max(old * this.factor, this.minLr);
      if (old - lr > this.eps) this.optimizer.lr = lr;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    return this.optimizer.lr;
  }
}

/** StepLR: lr = lr₀·γ^⌊epoch/stepSize⌋. */
export class StepLR {
  lastEpoch = 0;
  constructor(readonly optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {}
  stateDict(): SchedulerState {
    return countersOf(this, ['lastEpoch']);
  }
  loadStateDict(state: SchedulerState): void {
    loadCounters(this, ['lastEpoch'], state, 'StepLR');
  }
  step(): number {
    this.lastEpoch++;
    this.optimizer.lr = this.optimizer.initialLr * Math.pow(this.gamma, Math.floor(this.lastEpoch / this.stepSize));
    return this.optimizer.lr;
  }
}

/**
 * CosineAnnealingLR, closed form (PyTorch's documented formula, without restarts):
 * lr = η_min + (lr₀ − η_min)(1 + cos(π·t/T_max))/2.
 */
export class CosineAnnealingLR {
  lastEpoch = 0;
  constructor(readonly optimizer: Optimizer, readonly tMax: number, readonly etaMin = 0) {}
  stateDict(): SchedulerState {
    return countersOf(this, ['lastEpoch']);
  }
  loadStateDict(state: SchedulerState): void {
    loadCounters(this, ['lastEpoch'], state, 'CosineAnnealingLR');
  }
  step(): number {
    this.lastEpoch++;
    const base = this.optimizer.initialLr;
    this.optimizer.lr = this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2;
    return this.optimizer.lr;
  }
}
