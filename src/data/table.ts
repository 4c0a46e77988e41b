import { FomlabError, didYouMean } from '../core/errors.js';

/** What a column means to the search (ARCHITECTURE.md, "The event table contract"). */
export interface ColumnRoles {
  /** the classifier inputs, in order */
  features: string[];
  /** 1 signal, 0 background */
  label?: string;
  /** reconstructed mass variable the search scans (mass or mass²) */
  mass?: string;
  /** generated mass hypothesis of a signal event; NaN for background */
  genMass?: string;
  /** per-event scale to the target luminosity */
  weight?: string;
  /** process id */
  category?: string;
}

export type RoleName = Exclude<keyof ColumnRoles, 'features'>;

/**
 * Columnar events: named Float32Array columns of equal length plus their roles.
 * Immutable in spirit: methods return new tables that share unchanged columns.
 */
export class EventTable {
  readonly columns: ReadonlyMap<string, Float32Array>;
  readonly roles: ColumnRoles;
  readonly length: number;
  /** where the events came from, for messages */
  readonly source: string;

  constructor(columns: Map<string, Float32Array> | Record<string, Float32Array>, roles: Partial<ColumnRoles> = {}, source = 'events') {
    const map = columns instanceof Map ? new Map(columns) : new Map(Object.entries(columns));
    let n = -1;
    for (const [name, col] of map) {
      if (!(col instanceof Float32Array)) throw new FomlabError(`${source}: column '${name}' is not a Float32Array`);
      if (n < 0) n = col.length;
      else if (col.length !== n) throw new FomlabError(`${source}: column '${name}' has ${col.length} rows, others have ${n}`);
    }
    this.columns = map;
    this.length = Math.max(n, 0);
    this.source = source;
    this.roles = { features: [...(roles.features ?? [])], ...withoutFeatures(roles) };
    for (const f of this.roles.features) this.column(f);
    for (const r of ROLE_NAMES) {
      const name = this.roles[r];
      if (name !== undefined) this.column(name);
    }
  }

  get names(): string[] {
    return [...this.columns.keys()];
  }

  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** The column called `name`; a missing one is an error that names the near matches. */
  column(name: string): Float32Array {
    const c = this.columns.get(name);
    if (!c) throw new FomlabError(`${this.source}: no column '${name}'${didYouMean(name, this.columns.keys())}; columns are: ${this.names.join(', ')}`);
    return c;
  }

  /** The column holding `role`; an error naming the role if none is mapped. */
  roleColumn(role: RoleName): Float32Array {
    const name = this.roles[role];
    if (name === undefined) throw new FomlabError(`${this.source}: no column has the role '${role}' (set data.columns.${role} in the config)`);
    return this.column(name);
  }

  hasRole(role: RoleName): boolean {
    return this.roles[role] !== undefined;
  }

  /** per-event weights; all ones when no weight column is mapped */
  weights(): Float32Array {
    return this.roles.weight !== undefined ? this.column(this.roles.weight) : new Float32Array(this.length).fill(1);
  }

  labels(): Float32Array {
    return this.roleColumn('label');
  }

  mass(): Float32Array {
    return this.roleColumn('mass');
  }

  genMass(): Float32Array {
    return this.roleColumn('genMass');
  }

  /** Feature matrix, row-major (length × features.length). */
  featureMatrix(): Float32Array {
    const f = this.roles.features.map((n) => this.column(n));
    const nf = f.length;
    const out = new Float32Array(this.length * nf);
    for (let j = 0; j < nf; j++) {
      const c = f[j];
      for (let i = 0; i < this.length; i++) out[i * nf + j] = c[i];
    }
    return out;
  }

  withColumn(name: string, values: Float32Array): EventTable {
    const m = new Map(this.columns);
    m.set(name, values);
    return new EventTable(m, this.roles, this.source);
  }

  withRoles(roles: Partial<ColumnRoles>): EventTable {
    return new EventTable(new Map(this.columns), { ...this.roles, ...roles }, this.source);
  }

  /** Rows by index (in the given order). */
  take(rows: ArrayLike<number>): EventTable {
    const m = new Map<string, Float32Array>();
    for (const [name, col] of this.columns) {
      const out = new Float32Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]];
      m.set(name, out);
    }
    return new EventTable(m, this.roles, this.source);
  }

  /** Rows where mask[i] is non-zero. */
  filter(mask: ArrayLike<number | boolean>): EventTable {
    if (mask.length !== this.length) throw new FomlabError(`${this.source}: mask has ${mask.length} rows, table has ${this.length}`);
    const rows: number[] = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) rows.push(i);
    return this.take(rows);
  }

  /** Tables with the same columns, one after the other; roles of the first. */
  static concat(tables: EventTable[], source = 'events'): EventTable {
    if (tables.length === 0) throw new FomlabError(`${source}: nothing to concatenate`);
    const names = tables[0].names;
    for (const t of tables) {
      const missing = names.filter((n) => !t.has(n));
      if (missing.length) throw new FomlabError(`${t.source}: lacks column(s) ${missing.join(', ')} present in ${tables[0].source}`);
    }
    const total = tables.reduce((s, t) => s + t.length, 0);
    const m = new Map<string, Float32Array>();
    for (const n of names) {
      const out = new Float32Array(total);
      let off = 0;
      for (const t of tables) {
        out.set(t.column(n), off);
        off += t.length;
      }
      m.set(n, out);
    }
    return new EventTable(m, tables[0].roles, source);
  }
}

const ROLE_NAMES: RoleName[] = ['label', 'mass', 'genMass', 'weight', 'category'];

function withoutFeatures(r: Partial<ColumnRoles>): Omit<ColumnRoles, 'features'> {
  const out: Omit<ColumnRoles, 'features'> = {};
  for (const k of ROLE_NAMES) if (r[k] !== undefined) out[k] = r[k];
  return out;
}
