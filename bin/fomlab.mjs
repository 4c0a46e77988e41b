#!/usr/bin/env node
// The fomlab command: runs the TypeScript sources through tsx (no build step to forget).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
