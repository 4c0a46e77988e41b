import { existsSync } from 'node:fs';
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';

/** A vega-lite spec as plain JSON (vega-lite's own types are loose and huge; checked at compile). */
export type VegaLiteSpec = { [key: string]: unknown };

/** The font family the plots use; the PNG renderer maps it to a font file (see `pngFontOptions`). */
export const PLOT_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Shared look: readable sizes for slides and papers. */
export const PLOT_CONFIG = {
  font: PLOT_FONT,
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 360 }, // vega's 160 px cut 'Punzi-net (punzi-unbatched)'
  title: { fontSize: 14, fontWeight: 'normal', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  view: { stroke: '#888' },
};

/** Compiles a vega-lite spec and renders it to an SVG string in Node (no browser, no network). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // Warnings (e.g. merged legends) are expected in layered plots; errors still throw.
  const logger = vega.logger(vega.Error);
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// Font files tried in order (Debian/Ubuntu fonts-dejavu-core, Fedora, Alpine, macOS).
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/Library/Fonts/Arial Unicode.ttf',
];

interface FontOptions {
  loadSystemFonts: boolean;
  fontFiles: string[];
  defaultFontFamily?: string;
  sansSerifFamily?: string;
}

let fontOptions: FontOptions | undefined;

/**
 * resvg draws no text without a font: load DejaVu Sans explicitly when found (fast, and the same
 * glyphs everywhere, σ and ′ included); otherwise fall back to the system fonts.
 */
export function pngFontOptions(): FontOptions {
  if (!fontOptions) {
    const file = FONT_CANDIDATES.find((f) => existsSync(f));
    fontOptions = file
      ? { loadSystemFonts: false, fontFiles: [file], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
      : { loadSystemFonts: true, fontFiles: [] };
  }
  return fontOptions;
}

/** True if a font file for the PNG text was found (else text may be missing from the PNGs). */
export function hasPngFont(): boolean {
  return pngFontOptions().fontFiles.length > 0;
}

/** Renders an SVG to PNG bytes at `scale` × its size (2 → crisp on slides). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: pngFontOptions(), background: 'white' });
  return r.render().asPng();
}
