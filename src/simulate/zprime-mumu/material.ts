/**
 * A Belle II-like material map of the beam pipe and the vertex detector (cylinders about the beam
 * axis), and where a photon from the interaction point converts into a muon pair in it.
 *
 * Layers (radius of the layer's middle, thickness in radiation lengths at normal incidence):
 * - beam pipe, r = 1.0 cm: 0.6 mm Be inner wall, 1 mm paraffin coolant, 0.4 mm Be outer wall and a
 *   10 μm gold foil (Belle II TDR, arXiv:1011.0352, §3 "Beam pipe"): 0.17 % + 0.23 % + 0.11 % +
 *   0.30 % ≈ 0.8 % X₀, modelled as beryllium (Z = 4) of that thickness;
 * - PXD layers at r = 1.4 and 2.2 cm, 75 μm thinned DEPFET silicon on a frame: 0.21 % X₀ per
 *   layer (TDR §4, "0.19 % X₀ per layer"; Belle II Physics Book, Kou et al., PTEP 2019 123C01, §3.2);
 * - SVD layers at r = 3.9, 8.0, 10.4 and 13.5 cm, 300–320 μm double-sided strips plus Origami
 *   readout and support: 0.57 % X₀ per layer (TDR §5; Physics Book §3.2);
 * - the CDC inner wall at r = 16.0 cm, 0.5 mm carbon-fibre reinforced plastic: 0.20 % X₀ (TDR §6).
 * Support cones, cables and the material at small polar angles are not modelled; the materials of
 * the VXD are silicon (Z = 14) and of the CDC wall carbon (Z = 6).
 *
 * A photon at polar angle θ crosses a cylinder of thickness X/X₀ along a path X/X₀ / sin θ; the
 * probability to convert into μ⁺μ⁻ in the layer is (X/X₀ / sin θ)·k(E), k = σ_μμ(E, Z)·N_A·X₀/A the
 * muon-pair cross-section per radiation length (bethe-heitler.ts, total σ per atom): 4·10⁻⁶ at
 * 5 GeV in silicon, 2.9·10⁻⁵ asymptotically ((7/9)(m_e/m_μ)² times the ratio of the logarithms),
 * so a 5 GeV photon converts into muons with probability ≈ 1.5·10⁻⁷ in the whole map (3.7 % X₀).
 * Absorption of the photon before the layer (e⁺e⁻ conversion, ≈ 7/9 per X₀) is negligible at
 * a few % X₀ and not modelled.
 */
import { FomlabError } from '../../core/errors.js';
import { type BheConstants, type Element, MU_PAIR_THRESHOLD, betheHeitlerConstants, muPairCrossSection } from './bethe-heitler.js';

const AVOGADRO = 6.02214076e23;

export interface MaterialLayer {
  name: string;
  /** radius of the layer [cm] */
  radius: number;
  /** thickness at normal incidence in radiation lengths */
  x0Fraction: number;
  element: Element;
  /** radiation length of the element [g/cm²] (PDG 2024 atomic and nuclear properties) */
  radiationLength: number;
}

const BERYLLIUM: Element = { Z: 4, A: 9.012183 };
const SILICON: Element = { Z: 14, A: 28.085 };
const CARBON: Element = { Z: 6, A: 12.011 };

/** The default map (file header). */
export function belle2MaterialMap(): MaterialLayer[] {
  const be = { element: BERYLLIUM, radiationLength: 65.19 };
  const si = { element: SILICON, radiationLength: 21.82 };
  return [
    { name: 'beam pipe', radius: 1.0, x0Fraction: 0.008, ...be },
    { name: 'PXD 1', radius: 1.4, x0Fraction: 0.0021, ...si },
    { name: 'PXD 2', radius: 2.2, x0Fraction: 0.0021, ...si },
    { name: 'SVD 3', radius: 3.9, x0Fraction: 0.0057, ...si },
    { name: 'SVD 4', radius: 8.0, x0Fraction: 0.0057, ...si },
    { name: 'SVD 5', radius: 10.4, x0Fraction: 0.0057, ...si },
    { name: 'SVD 6', radius: 13.5, x0Fraction: 0.0057, ...si },
    { name: 'CDC inner wall', radius: 16.0, x0Fraction: 0.002, element: CARBON, radiationLength: 42.7 },
  ];
}

/** μ-pair conversions per radiation length of the layer's material at photon energy e [GeV] */
export function muPairPerRadiationLength(layer: MaterialLayer, e: number): number {
  return (muPairCrossSection(layer.element, e) * AVOGADRO * layer.radiationLength) / layer.element.A;
}

/** photon energies of the tabulated k(E) [GeV]: threshold to 30 GeV, uniform in ln E */
const TABLE_E_MAX = 30;
const TABLE_POINTS = 512;

/**
 * The map with per-layer constants, ready for sampling: k(E) tabulated per layer (linear in ln E
 * between TABLE_POINTS nodes; relative error < 10⁻³ above 0.5 GeV, checked in the tests).
 */
export class ConversionMaterial {
  readonly constants: BheConstants[];
  private readonly prob = new Float64Array(16);
  private readonly table: Float64Array;
  private readonly lnE0: number;
  private readonly dLnE: number;

  constructor(readonly layers: MaterialLayer[]) {
    if (layers.length < 1 || layers.length > 16) throw new FomlabError(`material map: 1 to 16 layers, got ${layers.length}`);
    for (const l of layers) {
      if (!(l.radius > 0 && l.x0Fraction >= 0 && l.element.Z >= 1 && l.element.A > 0 && l.radiationLength > 0)) {
        throw new FomlabError(`material map: layer '${l.name}' needs radius > 0 cm, x0Fraction ≥ 0, Z ≥ 1, A > 0 and radiationLength > 0`);
      }
    }
    this.constants = layers.map((l) => betheHeitlerConstants(l.element));
    this.lnE0 = Math.log(MU_PAIR_THRESHOLD);
    this.dLnE = (Math.log(TABLE_E_MAX) - this.lnE0) / (TABLE_POINTS - 1);
    this.table = new Float64Array(layers.length * TABLE_POINTS);
    layers.forEach((l, i) => {
      for (let j = 1; j < TABLE_POINTS; j++) this.table[i * TABLE_POINTS + j] = muPairPerRadiationLength(l, Math.exp(this.lnE0 + j * this.dLnE));
    });
  }

  /** the layers (radius, x0Fraction, Z, A, X₀, then the BheConstants zThird, a27, dn, wInf, sBZ, c2Term2) and the k(E) table for the C++ twin */
  nativeTables(): { nLayers: number; layers: Float64Array; kTable: Float64Array; tablePoints: number; lnE0: number; dLnE: number } {
    const layers = new Float64Array(this.layers.flatMap((l, i) => {
      const c = this.constants[i];
      return [l.radius, l.x0Fraction, l.element.Z, l.element.A, l.radiationLength, c.zThird, c.a27, c.dn, c.wInf, c.sBZ, c.c2Term2];
    }));
    return { nLayers: this.layers.length, layers, kTable: this.table, tablePoints: TABLE_POINTS, lnE0: this.lnE0, dLnE: this.dLnE };
  }

  /** k(E) of layer i from the table */
  perRadiationLength(i: number, e: number): number {
    const u = (Math.log(e) - this.lnE0) / this.dLnE;
    if (!(u > 0)) return 0;
    if (u >= TABLE_POINTS - 1) return muPairPerRadiationLength(this.layers[i], e);
    const j = Math.floor(u), f = u - j, o = i * TABLE_POINTS + j;
    return this.table[o] + f * (this.table[o + 1] - this.table[o]);
  }

  /**
   * Probability that a photon of energy e [GeV] at polar angle with sin θ = sinTheta converts into
   * μ⁺μ⁻ somewhere in the map; picks the layer (index returned in `layerOut[0]`) with
   * probability ∝ its share, using the uniform u ∈ (0, 1). Returns 0 below threshold.
   */
  convert(e: number, sinTheta: number, u: number, layerOut: Int32Array): number {
    const n = this.layers.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = (this.layers[i].x0Fraction / sinTheta) * this.perRadiationLength(i, e);
      this.prob[i] = p;
      total += p;
    }
    if (!(total > 0)) return 0;
    let acc = 0;
    const target = u * total;
    layerOut[0] = n - 1;
    for (let i = 0; i < n; i++) {
      acc += this.prob[i];
      if (target < acc) {
        layerOut[0] = i;
        break;
      }
    }
    return total;
  }
}
