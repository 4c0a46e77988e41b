import { statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FomlabError, writeFileAtomically } from '../../api/core.js';
import { DEFAULT_OPSET } from '../../api/models.js';
import { loadModelFile } from '../../api/models.js';
import type { Command } from '../main.js';

/** MODEL's path with the extension replaced by .onnx (model.json → model.onnx). */
export function defaultOnnxPath(model: string): string {
  const ext = extname(model);
  return join(dirname(model), `${ext ? basename(model, ext) : basename(model)}.onnx`);
}

export const command: Command = {
  usage: `fomlab export MODEL --onnx [--out FILE] [--opset N]   (default FILE: MODEL with .onnx; default opset ${DEFAULT_OPSET}, GELU as one node from 20)`,
  async run(args) {
    let model: string | undefined;
    let out: string | undefined;
    let onnx = false;
    let opset: number | undefined;
    const value = (i: number, name: string): string => {
      const v = args[i];
      if (v === undefined || v.startsWith('--')) throw new FomlabError(`export: ${name} needs a value`);
      return v;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--onnx') onnx = true;
      else if (a === '--out') out = value(++i, '--out');
      else if (a.startsWith('--out=')) out = a.slice(6);
      else if (a === '--opset' || a.startsWith('--opset=')) {
        const v = a === '--opset' ? value(++i, '--opset') : a.slice(8);
        opset = Number(v);
        if (!Number.isInteger(opset)) throw new FomlabError(`export: --opset must be an integer, got '${v}'`);
      } else if (a.startsWith('-')) throw new FomlabError(`export: unknown option '${a}'; usage: ${command.usage}`);
      else if (model === undefined) model = a;
      else throw new FomlabError(`export: one model at a time (got '${model}' and '${a}')`);
    }
    if (model === undefined) throw new FomlabError(`export: which model? usage: ${command.usage}`);
    if (!onnx) throw new FomlabError(`export: which format? only --onnx is supported; usage: ${command.usage}`);
    const saved = loadModelFile(model);
    const target = out ?? defaultOnnxPath(model);
    if (target === model) throw new FomlabError(`export: --out ${target} would overwrite the model file`);
    writeFileAtomically(target, saved.toOnnx({ opset }));
    console.log(`export: ${target} (${statSync(target).size} bytes; ${saved.describe()}, input 'features' [N, ${saved.inputNames.length}] = ${saved.inputNames.join(', ')}; output 'score' [N, 1])`);
    return 0;
  },
};
