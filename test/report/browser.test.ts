// The report opened in a real headless browser (Debian's chromium): every figure laid out with drawn
// content, no script or resource errors, the expected section headings. Skipped where chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { reportPlots, writeReport } from '../../src/report/index.js';
import { syntheticSummary } from './synthetic.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install -y chromium): report not checked in a browser`;

function chromium(profile: string, args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...args,
  ], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, stderr: r.stderr };
}

// Appended to a copy of the page only (the report itself has no scripts): after load, the laid-out
// size of each figure's SVG, the box of what it draws, and any error the page raised.
const PROBE = `<script>
const errors = [];
addEventListener('error', (e) => errors.push(String(e.message || (e.target && e.target.outerHTML))), true);
addEventListener('load', () => {
  const figs = [...document.querySelectorAll('figure')].map((f) => {
    const s = f.querySelector('svg'), r = s ? s.getBoundingClientRect() : { width: 0, height: 0 }, b = s ? s.getBBox() : { width: 0, height: 0 };
    return { id: f.id, width: r.width, height: r.height, drawnWidth: b.width, drawnHeight: b.height, marks: s ? s.querySelectorAll('path,rect,line,text').length : 0 };
  });
  const heads = [...document.querySelectorAll('h2')].map((h) => h.textContent);
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({ figs, heads, errors });
  document.body.appendChild(pre);
});
</script>`;

test('report in headless chromium: every figure drawn, no errors, the sections', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-browser-'));
  try {
    const s = syntheticSummary({ masses: 8, epochs: 30 });
    const { html } = await writeReport(s, join(dir, 'report'));
    const probed = join(dir, 'report', 'probe.html');
    writeFileSync(probed, readFileSync(html, 'utf8').replace('</body>', `${PROBE}</body>`));
    const { stdout, stderr } = chromium(join(dir, 'profile'), ['--virtual-time-budget=10000', '--dump-dom', pathToFileURL(probed).href]);
    const m = stdout.match(/<pre id="probe">([^<]*)<\/pre>/);
    assert.ok(m, `no probe output in the dumped DOM (${stdout.length} characters)`);
    const probe = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as {
      figs: Array<{ id: string; width: number; height: number; drawnWidth: number; drawnHeight: number; marks: number }>; heads: string[]; errors: string[];
    };
    assert.deepEqual(probe.errors, []);
    assert.doesNotMatch(stderr, /CONSOLE.*(error|Uncaught)|Failed to load resource/i);
    const ids = reportPlots(s).map((p) => p.id);
    assert.deepEqual(probe.figs.map((f) => f.id), ids);
    for (const f of probe.figs) {
      assert.ok(f.width > 200 && f.height > 150, `${f.id}: laid out ${f.width}×${f.height}`);
      assert.ok(f.drawnWidth > 100 && f.drawnHeight > 100 && f.marks > 20, `${f.id}: draws ${f.drawnWidth}×${f.drawnHeight}, ${f.marks} marks`);
    }
    for (const h of ['Judgements (test split)', 'Sensitivity', 'Classifier performance', 'Mass sculpting', 'Overtraining', 'Training', 'Output distributions', 'Inputs', 'Numbers']) {
      assert.ok(probe.heads.includes(h), `heading '${h}' (have ${probe.heads.join(', ')})`);
    }
    // and the page itself (no probe) as a screenshot: a real image of the whole report
    const shot = join(dir, 'report.png');
    chromium(join(dir, 'profile2'), ['--hide-scrollbars', '--window-size=1400,4000', `--screenshot=${shot}`, pathToFileURL(html).href]);
    assert.ok(statSync(shot).size > 50_000, `screenshot only ${statSync(shot).size} bytes`);
    if (process.env.FOMLAB_KEEP_SCREENSHOT) writeFileSync(process.env.FOMLAB_KEEP_SCREENSHOT, readFileSync(shot));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
