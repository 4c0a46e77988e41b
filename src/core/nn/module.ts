/**
 * Module: what computes (PyTorch's nn.Module, minus hooks). Parameters are the own properties that
 * are tensors requiring grad, buffers the own tensors that do not (running statistics); children
 * are own Module properties (and arrays of modules). Names follow PyTorch's state_dict keys.
 */
import { FomlabError, didYouMean } from '../errors.js';
import { Tensor, type DType } from '../tensor.js';

export abstract class Module {
  /** train() / eval() switch (dropout, batch norm) */
  training = true;

  abstract forward(x: Tensor): Tensor;

  /** Direct children with their names (override for index names, as Sequential does). */
  namedChildren(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v)) v.forEach((m, i) => { if (m instanceof Module) out.push([`${k}.${i}`, m]); });
    }
    return out;
  }

  private ownTensors(params: boolean): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [k, v] of Object.entries(this)) if (v instanceof Tensor && v.requiresGrad === params) out.push([k, v]);
    return out;
  }

  /** Every parameter with its dotted name ("0.weight", "attn.in_proj_weight", …). */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    const out = this.ownTensors(true).map(([k, t]): [string, Tensor] => [prefix + k, t]);
    for (const [name, child] of this.namedChildren()) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Non-trainable state (running mean/var of batch norm) with dotted names. */
  namedBuffers(prefix = ''): Array<[string, Tensor]> {
    const out = this.ownTensors(false).map(([k, t]): [string, Tensor] => [prefix + k, t]);
    for (const [name, child] of this.namedChildren()) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Parameters and buffers by name (shared tensors, not copies). */
  stateDict(): Map<string, Tensor> {
    return new Map([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /** Copies values in by name; `strict` requires the same names and shapes. */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, strict = true): void {
    const src = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    for (const [name, t] of own) {
      const s = src.get(name);
      if (!s) {
        if (strict) throw new FomlabError(`loadStateDict: missing '${name}'${didYouMean(name, src.keys())}`);
        continue;
      }
      if (s.shape.join(',') !== t.shape.join(',')) throw new FomlabError(`loadStateDict: '${name}' has shape [${s.shape.join(', ')}], the module expects [${t.shape.join(', ')}]`);
      t.data.set(s.data);
    }
    if (strict) for (const name of src.keys()) if (!own.has(name)) throw new FomlabError(`loadStateDict: unexpected '${name}'${didYouMean(name, own.keys())}`);
  }

  train(mode = true): this {
    this.training = mode;
    for (const [, c] of this.namedChildren()) c.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Converts parameters and buffers to `dtype` in place (e.g. float64 for gradient checks). */
  toDtype(dtype: DType): this {
    for (const [, t] of this.stateDict()) {
      if (t.dtype === dtype) continue;
      const d = dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
      d.set(t.data);
      t.data = d;
      t.grad = null;
    }
    return this;
  }

  /** Number of trainable values. */
  parameterCount(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }
}

/** Modules applied in order; children named "0", "1", … as torch.nn.Sequential. */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
  }
  override namedChildren(): Array<[string, Module]> {
    return this.layers.map((m, i): [string, Module] => [String(i), m]);
  }
  forward(x: Tensor): Tensor {
    for (const m of this.layers) x = m.forward(x);
    return x;
  }
}
