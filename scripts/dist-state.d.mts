// Types of dist-state.mjs (for the TypeScript tests and benches that import it).
export declare const root: string;
export declare const stampPath: string;
export declare function distState(): 'fresh' | 'stale' | 'absent';
