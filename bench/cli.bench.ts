// CLI start-up: wall time and peak RSS of whole `fomlab` processes, as a user runs them. JSON lines:
//   cli_help_startup          — `fomlab --help` (compiled dist/, commands loaded only when run)
//   cli_inspect_2304_events   — `fomlab inspect` of the 2,304-event uproot-Zmumu.root (test fixture)
//   …_from_sources            — the same through tsx on the TypeScript sources (what bin/fomlab.mjs
//                               falls back to when src/ is newer than dist/; the start-up before dist/)
// Each figure is the minimum over REPEAT runs (2 shared cores: the least disturbed run).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { distState } from '../scripts/dist-state.mjs';

const REPEAT = Number(process.env.FOMLAB_BENCH_REPEAT ?? 5);
const ZMUMU = 'test/fixtures/skhep/uproot-Zmumu.root';
const rssHook = fileURLToPath(new URL('./rss-at-exit.mjs', import.meta.url));

function timed(args: string[], env: NodeJS.ProcessEnv): { seconds: number; rss_mib: number } {
  let best = { seconds: Infinity, rss_mib: Infinity };
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', rssHook, 'bin/fomlab.mjs', ...args], { encoding: 'utf8', env });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`fomlab ${args.join(' ')} failed: ${r.stderr}`);
    const kib = Number(/fomlab-peak-rss-kib=(\d+)/.exec(r.stderr)?.[1]);
    best = { seconds: Math.min(best.seconds, seconds), rss_mib: Math.min(best.rss_mib, kib / 1024) };
  }
  return { seconds: +best.seconds.toFixed(3), rss_mib: +best.rss_mib.toFixed(1) };
}

if (distState() !== 'fresh') console.error('bench/cli: dist/ is older than src/ (npm run build): the compiled lines below run the sources');
for (const [suffix, env] of [['', process.env], ['_from_sources', { ...process.env, FOMLAB_FROM_SOURCES: '1' }]] as const) {
  console.log(JSON.stringify({ what: `cli_help_startup${suffix}`, events: 0, ...timed(['--help'], env) }));
  console.log(JSON.stringify({ what: `cli_inspect_2304_events${suffix}`, events: 2304, ...timed(['inspect', ZMUMU], env) }));
}
