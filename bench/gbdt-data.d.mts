export function xgbBenchData(n: number, f: number, seed: number): { columns: Float32Array[]; target: Float32Array };
