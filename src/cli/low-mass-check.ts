/**
 * `fomlab simulate --check-low-mass`: simulates the Z′ → invisible data set at a few masses and
 * prints, per recoil-mass² window (±2σ of the σ(M²) fitted on the signal, the demo's windows),
 * the background weight per process at the target luminosity and the weighted AUC of each feature
 * alone (docs/low-mass-check.md).
 */
import { formatWindowSeparation, windowSeparation } from '../api/evaluate.js';
import { CATEGORY_NAMES, FEATURE_NAMES, fitResolution, simulateTable, type SimulationConfig } from '../api/simulate.js';

/** The scan's windows the check looks at by default [GeV]. */
export const LOW_MASS_CHECK_MASSES = [0.1, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 4, 6, 8] as const;
/** The window half-width in σ(M²) (the demo's `window: {resolution, nSigma: 2}`). */
const N_SIGMA = 2;

/** The table as text (a header line with the settings, then one line per mass). */
export function lowMassCheck(cfg: SimulationConfig): string {
  const t0 = performance.now();
  const events = simulateTable({ ...cfg, muonFourVectors: false });
  const fit = fitResolution(events);
  const masses = fit.map((p) => p.mass);
  const low = fit.map((p) => p.mass * p.mass - N_SIGMA * p.sigma);
  const high = fit.map((p) => p.mass * p.mass + N_SIGMA * p.sigma);
  const rows = windowSeparation(events, masses, { low, high }, { processNames: CATEGORY_NAMES, genMassTolerance: 1e-5 });
  const processes = CATEGORY_NAMES.slice(1);
  const names = events.roles.features.map((f) => (FEATURE_NAMES as Record<string, string>)[f] ?? f);
  const seconds = (performance.now() - t0) / 1000;
  return [
    `seed ${cfg.seed}, ${cfg.signalPerMass} signal events generated per mass, background weights to ${cfg.targetLuminosity} fb^-1; ` +
      `window M2 = m^2 ± ${N_SIGMA} sigma(M2); ${events.length.toLocaleString('en-US')} events simulated in ${seconds.toFixed(1)} s`,
    'B = background weight in the window per process; AUC = weighted AUC of the feature alone, signal vs all background in the window (0.5: no separation)',
    '',
    formatWindowSeparation(rows, processes, names),
  ].join('\n');
}
