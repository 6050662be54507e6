#!/usr/bin/env node
// Entry point of `npm run bench`: the benchmarks are TypeScript run through tsx's loader,
// like the CLI (bin/datalyft.js), so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
