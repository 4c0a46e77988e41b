/**
 * The written columns (layout of the seed study's public data set: feature_1…4, category, M2, M,
 * gen_mass, labels, weights) plus n_gen and the smeared lab-frame muon four-vectors.
 */

/** The four features of the seed study (Punzi-loss paper, Table 1), all in the CM frame [GeV]. */
export const FEATURE_COLUMNS = ['feature_1', 'feature_2', 'feature_3', 'feature_4'] as const;

/** Short physics names of feature_1…4, in order. */
export const FEATURE_NAMES = {
  feature_1: 'ptThrust',
  feature_2: 'ptRelative',
  feature_3: 'plRelative',
  feature_4: 'ptDimuon',
} as const;

export const FEATURE_DESCRIPTIONS = {
  feature_1: 'p_T of the muons relative to the thrust axis of the two muons (CM frame) [GeV]',
  feature_2: 'p_T of the more energetic muon relative to the direction of the less energetic one (CM) [GeV]',
  feature_3: 'p_L of the more energetic muon along the direction of the less energetic one (CM) [GeV]',
  feature_4: 'p_T of the dimuon system relative to the beam axis (CM) [GeV]',
} as const;

export const COLUMN_NAMES = [
  ...FEATURE_COLUMNS,
  'M2', // recoil mass² from the smeared muons and nominal beams [GeV²]
  'M', // sign(M2)·√|M2| [GeV]
  'gen_mass', // generated Z′ mass [GeV]; NaN for background
  'labels', // 1 signal, 0 background
  'weights', // to the target luminosity (signal: σ_ref·L/N_gen, σ_ref = 1 fb by default)
  'category', // 0 signal, 1 μμ(γ), 2 ττ, 3 eeμμ
  'n_gen', // collisions generated for this event's mass (signal) or process (background)
  'mu_plus_E', 'mu_plus_px', 'mu_plus_py', 'mu_plus_pz', // smeared μ⁺, lab frame [GeV]
  'mu_minus_E', 'mu_minus_px', 'mu_minus_py', 'mu_minus_pz', // smeared μ⁻, lab frame [GeV]
] as const;

export const COL = {
  f1: 0, f2: 1, f3: 2, f4: 3, m2: 4, m: 5, genMass: 6, label: 7, weight: 8, category: 9, nGen: 10, muPlus: 11, muMinus: 15,
} as const;

/** Fills fixed-size column chunks row by row; hands out a full chunk and starts a fresh one. */
export class ChunkBuilder {
  cols: Float32Array[] = [];
  row = 0;
  private readonly names: string[];

  constructor(readonly size: number, readonly withMuons: boolean) {
    this.names = COLUMN_NAMES.filter((c) => withMuons || !c.startsWith('mu_'));
    this.fresh();
  }

  private fresh(): void {
    this.cols = COLUMN_NAMES.map(() => new Float32Array(this.size));
    this.row = 0;
  }

  get full(): boolean {
    return this.row >= this.size;
  }

  /** The filled rows as a chunk; a fresh chunk is started. */
  take(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const n = this.row;
    for (let j = 0; j < COLUMN_NAMES.length; j++) {
      if (!this.names.includes(COLUMN_NAMES[j])) continue;
      out.set(COLUMN_NAMES[j], n === this.size ? this.cols[j] : this.cols[j].slice(0, n));
    }
    this.fresh();
    return out;
  }

  /** What is left, or null when nothing is. */
  flush(): Map<string, Float32Array> | null {
    return this.row > 0 ? this.take() : null;
  }
}
