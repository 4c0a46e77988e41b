import { FomlabError } from '../../api/core.js';
import { writeFileAtomically } from '../../api/core.js';
import {
  defaultDetector, defaultHzgSimulationConfig, defaultMumuSimulationConfig, defaultSimulationConfig, defaultVlqSimulationConfig, formatResolutionTable, simulateHzgToFile,
  simulateMumuToFile, simulateToFile, simulateVlqToFile, formatVlqResolution, type HzgSimulationConfig, type MumuSimulationConfig, type SimulationConfig, type VlqSimulationConfig,
} from '../../api/simulate.js';
import type { Command } from '../main.js';

/** "0.1:8.7:0.1" (from:to:step, inclusive) or "0.5,1,2" → masses in GeV. */
export function parseMasses(text: string): number[] {
  if (text.includes(':')) {
    const parts = text.split(':').map(Number);
    const [from, to, step] = parts;
    if (parts.length !== 3 || !parts.every(Number.isFinite) || !(step > 0) || !(to >= from) || !(from > 0)) {
      throw new FomlabError(`--masses: expected FROM:TO:STEP in GeV with 0 < FROM ≤ TO and STEP > 0, got '${text}'`);
    }
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    return Array.from({ length: n }, (_, i) => Number((from + i * step).toFixed(10)));
  }
  const list = text.split(',').map((t) => Number(t.trim()));
  if (!list.length || !list.every((m) => Number.isFinite(m) && m > 0)) throw new FomlabError(`--masses: expected masses in GeV like 0.5,1,2 or 0.1:8.7:0.1, got '${text}'`);
  return list;
}

function positiveNumber(flag: string, v: string | undefined, integer = false): number {
  const x = Number(v);
  if (v === undefined || !Number.isFinite(x) || x < 0 || (integer && !Number.isInteger(x))) {
    throw new FomlabError(`${flag}: expected a ${integer ? 'whole ' : ''}number ≥ 0, got '${v ?? ''}'`);
  }
  return x;
}

export const command: Command = {
  usage: [
    'fomlab simulate [--channel zprime|zprime-mumu|hzg|vlq] [--out FILE] [--seed S] ...',
    '  --channel C           zprime (default): Belle II-like e+e- -> mu+mu- Z\' (invisible);',
    '                        zprime-mumu: e+e- -> mu+mu- Z\' (-> mu+mu-) against four-lepton QED and gamma gamma conversions;',
    '                        hzg: pp -> H -> Z gamma -> l l gamma against Z gamma at 13 TeV, 138 fb^-1;',
    '                        vlq: pp -> T b j, T -> t Z (3 leptons) against Z W+ j j at 14 TeV, 3000 fb^-1',
    'zprime options: [--events-per-mass N] [--masses 0.1:8.7:0.1] [--background-scale X] [--target-lumi L] [--resolution OUT.txt]',
    '  --check-low-mass      write no file: per recoil-mass window (±2σ of the fitted M² resolution, as the demo\'s scan),',
    '                        print the background yield per process and the weighted AUC of each feature alone',
    '                        (default masses 0.1,0.3,0.5,0.7,1,1.5,2,3,4,6,8)',
    '  --gap-photon-inefficiency P  probability that a photon in an ECL barrel-endcap gap is missed (default 1;',
    '                        0.001, the ECL\'s own inefficiency, switches the gaps off)',
    '  --fsr                 add mu mu gamma with a lost final-state-radiation photon (off by default; docs/low-mass-check.md)',
    '  --fsr-merge-angle DEG with --fsr: a photon within DEG of its muon\'s ECL impact point joins the muon\'s cluster and',
    '                        is lost (default 0: never)',
    '  --out FILE            .parquet, .arrow/.feather or .csv (default simulation.parquet)',
    '  --events-per-mass N   signal events generated per Z\' mass (default 10000)',
    '  --masses A:B:STEP     Z\' masses in GeV, or a list 0.5,1,2 (default 0.1:8.7:0.1)',
    '  --background-scale X  fraction of the 1000 fb^-1 background generated, weights compensate',
    '  --target-lumi L       luminosity the weights scale to, fb^-1 (default 50)',
    '  --resolution OUT.txt  also fit sigma(M2) per signal mass, written in width.txt\'s format',
    'zprime-mumu options: [--events-per-mass N] [--masses 0.5:8.5:0.5] [--background-events N] [--target-lumi L]',
    '  --background-events N collisions generated per background process (default 400000 mu mu mu mu,',
    '                        200000 e e mu mu and gamma gamma conversions; N sets all three)',
    'hzg options: [--signal-events N] [--background-events N] [--lumi L]',
    '  --signal-events N     H -> Z gamma events generated before selection (default 400000)',
    '  --background-events N Z gamma events generated before selection (default 3000000)',
    '  --lumi L              luminosity the weights scale to, fb^-1 (default 138)',
    'vlq options: [--events-per-mass N] [--masses 1000:6400:200] [--events-per-slice N] [--inclusive-events N] [--lumi L] [--resolution OUT.txt]',
    '  --events-per-mass N   preselected T events per mass (default 10000)',
    '  --masses A:B:STEP     T masses in GeV, or a list 1000,2000 (default 1000:6400:200)',
    '  --events-per-slice N  preselected Z W j j events per 200 GeV slice of m_ZWj, 800-6600 GeV (default 10000)',
    '  --inclusive-events N  preselected Z W j j events with m_ZWj > 800 GeV (default 200000)',
    '  --width-over-mass X   Gamma_T/m_T (default 0.01)',
    '  --sin-theta-l S       T-b mixing the signal cross-section scales with, sigma ~ S^2 (default 0.1)',
    '  --lumi L              luminosity the weights scale to, fb^-1 (default 3000)',
    '  --resolution OUT.txt  also the m_T^rec resolution per T mass (GeV), for search.window {resolution, massUnit: GeV, of: mass}',
  ].join('\n'),
  async run(args) {
    const channelAt = args.indexOf('--channel');
    const channel = channelAt >= 0 ? args[channelAt + 1] ?? '' : 'zprime';
    const runners: Record<string, (rest: string[]) => Promise<number>> = { zprime: runZprime, 'zprime-mumu': runMumu, hzg: runHzg, vlq: runVlq };
    if (!Object.hasOwn(runners, channel)) throw new FomlabError(`--channel: expected zprime, zprime-mumu, hzg or vlq, got '${channel}'`);
    const rest = channelAt >= 0 ? [...args.slice(0, channelAt), ...args.slice(channelAt + 2)] : args;
    return runners[channel](rest);
  },
};

/**
 * The channel's `--name value` options (every option takes one value), each handed to its setter; returns the
 * `--out` file (default `out`). An unknown option or an empty --out is one error naming it.
 */
function readOptions(args: string[], where: string, out: string, set: Record<string, (flag: string, value: string | undefined) => void>): string {
  for (let i = 0; i < args.length; i += 2) {
    const a = args[i], v = args[i + 1];
    if (a === '--out') out = v ?? '';
    else if (Object.hasOwn(set, a)) set[a](a, v);
    else throw new FomlabError(`${where}: unknown option '${a}'; run 'fomlab simulate --help'`);
  }
  if (!out) throw new FomlabError('--out: expected a file name');
  return out;
}

async function runHzg(args: string[]): Promise<number> {
  const cfg: HzgSimulationConfig = defaultHzgSimulationConfig();
  const out = readOptions(args, 'simulate --channel hzg', 'simulation-hzg.parquet', {
    '--seed': (a, v) => { cfg.seed = positiveNumber(a, v, true); },
    '--signal-events': (a, v) => { cfg.signalEvents = positiveNumber(a, v, true); },
    '--background-events': (a, v) => { cfg.backgroundEvents = positiveNumber(a, v, true); },
    '--lumi': (a, v) => { cfg.luminosity = positiveNumber(a, v); },
  });
  const t0 = performance.now();
  const r = await simulateHzgToFile(cfg, out);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`wrote ${r.events.toLocaleString('en-US')} selected events (of ${r.generated.toLocaleString('en-US')} generated) to ${out} in ${seconds.toFixed(1)} s`);
  for (const [name, n] of Object.entries(r.perProcess)) console.log(`  ${name.padEnd(11)} ${n.toLocaleString('en-US')}`);
  return 0;
}

async function runVlq(args: string[]): Promise<number> {
  const cfg: VlqSimulationConfig = defaultVlqSimulationConfig();
  let resolutionOut: string | undefined;
  const out = readOptions(args, 'simulate --channel vlq', 'simulation-vlq.parquet', {
    '--seed': (a, v) => { cfg.seed = positiveNumber(a, v, true); },
    '--events-per-mass': (a, v) => { cfg.signalPerMass = positiveNumber(a, v, true); },
    '--masses': (_a, v) => { cfg.masses = parseMasses(v ?? ''); },
    '--events-per-slice': (a, v) => { cfg.backgroundPerSlice = positiveNumber(a, v, true); },
    '--inclusive-events': (a, v) => { cfg.inclusiveEvents = positiveNumber(a, v, true); },
    '--width-over-mass': (a, v) => { cfg.widthOverMass = positiveNumber(a, v); },
    '--sin-theta-l': (a, v) => { cfg.signalCrossSection.sinThetaL = positiveNumber(a, v); },
    '--lumi': (a, v) => { cfg.luminosity = positiveNumber(a, v); },
    '--resolution': (_a, v) => { resolutionOut = v; },
  });
  if (resolutionOut === undefined && args.includes('--resolution')) throw new FomlabError('--resolution: expected an output file name');
  const t0 = performance.now();
  const r = await simulateVlqToFile(cfg, out, { resolution: resolutionOut !== undefined });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`wrote ${r.events.toLocaleString('en-US')} preselected events (of ${r.generated.toLocaleString('en-US')} generated) to ${out} in ${seconds.toFixed(1)} s`);
  for (const [name, n] of Object.entries(r.perSample)) console.log(`  ${name.padEnd(20)} ${n.toLocaleString('en-US')}`);
  if (resolutionOut !== undefined && r.resolution) {
    writeFileAtomically(resolutionOut, formatVlqResolution(r.resolution));
    console.log(`wrote the m_T^rec resolution of ${r.resolution.length} masses to ${resolutionOut}`);
  }
  return 0;
}

async function runMumu(args: string[]): Promise<number> {
  const cfg: MumuSimulationConfig = defaultMumuSimulationConfig();
  const out = readOptions(args, 'simulate --channel zprime-mumu', 'simulation-zprime-mumu.parquet', {
    '--seed': (a, v) => { cfg.seed = positiveNumber(a, v, true); },
    '--events-per-mass': (a, v) => { cfg.signalPerMass = positiveNumber(a, v, true); },
    '--masses': (_a, v) => { cfg.zprimeMasses = parseMasses(v ?? ''); },
    '--background-events': (a, v) => { cfg.fourMuonEvents = cfg.eeMuMuEvents = cfg.conversionEvents = positiveNumber(a, v, true); },
    '--target-lumi': (a, v) => { cfg.targetLuminosity = positiveNumber(a, v); },
  });
  const t0 = performance.now();
  const r = await simulateMumuToFile(cfg, out);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`wrote ${r.rows.toLocaleString('en-US')} Z' candidates of ${r.events.toLocaleString('en-US')} events (of ${r.generated.toLocaleString('en-US')} collisions) to ${out} in ${seconds.toFixed(1)} s`);
  for (const [name, n] of Object.entries(r.perProcess)) console.log(`  ${name.padEnd(16)} ${n.toLocaleString('en-US')} events`);
  return 0;
}

const zprimeCommand = {
  async run(argsIn: string[]): Promise<number> {
    const cfg: SimulationConfig = defaultSimulationConfig();
    const check = argsIn.includes('--check-low-mass');
    if (argsIn.includes('--fsr')) cfg.finalStateRadiation = true;
    const args = argsIn.filter((a) => a !== '--check-low-mass' && a !== '--fsr');
    // loaded only for the check: it brings the evaluation modules (≈ 0.2 CPU s to load) every simulation would pay
    const lowMass = check ? await import('../low-mass-check.js') : null;
    if (lowMass) cfg.zprimeMasses = [...lowMass.LOW_MASS_CHECK_MASSES];
    let resolutionOut: string | undefined;
    const out = readOptions(args, 'simulate', 'simulation.parquet', {
      '--events-per-mass': (a, v) => { cfg.signalPerMass = positiveNumber(a, v, true); },
      '--masses': (_a, v) => { cfg.zprimeMasses = parseMasses(v ?? ''); },
      '--seed': (a, v) => { cfg.seed = positiveNumber(a, v, true); },
      '--background-scale': (a, v) => { cfg.backgroundScale = positiveNumber(a, v); },
      '--target-lumi': (a, v) => { cfg.targetLuminosity = positiveNumber(a, v); },
      '--resolution': (_a, v) => { resolutionOut = v; },
      '--gap-photon-inefficiency': (a, v) => {
        const p = positiveNumber(a, v);
        if (p > 1) throw new FomlabError(`${a}: expected a probability in [0, 1], got '${v}'`);
        cfg.detector = { ...defaultDetector(), gapPhotonInefficiency: p };
      },
      '--fsr-merge-angle': (a, v) => {
        if (!cfg.finalStateRadiation) throw new FomlabError(`${a}: only with --fsr`);
        cfg.finalStateRadiation = { mergeAngle: (positiveNumber(a, v) * Math.PI) / 180 };
      },
    });
    if (resolutionOut === undefined && args.includes('--resolution')) throw new FomlabError('--resolution: expected an output file name');
    if (lowMass) {
      if (args.includes('--out') || resolutionOut !== undefined) throw new FomlabError('--check-low-mass writes no file: drop --out and --resolution');
      console.log(lowMass.lowMassCheck(cfg));
      return 0;
    }
    const t0 = performance.now();
    const r = await simulateToFile(cfg, out, { resolution: resolutionOut !== undefined });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`wrote ${r.events.toLocaleString('en-US')} events to ${out} in ${seconds.toFixed(1)} s`);
    for (const [name, n] of Object.entries(r.perProcess)) console.log(`  ${name.padEnd(11)} ${n.toLocaleString('en-US')}`);
    if (resolutionOut !== undefined && r.resolution) {
      writeFileAtomically(resolutionOut, formatResolutionTable(r.resolution));
      console.log(`wrote the recoil-mass² resolution of ${r.resolution.length} masses to ${resolutionOut}`);
    }
    return 0;
  },
};
const runZprime = (args: string[]): Promise<number> => zprimeCommand.run(args);
