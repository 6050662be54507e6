#!/usr/bin/env node
// Entry point of the `datalyft` CLI. The sources are TypeScript run through tsx's
// loader, so a fresh clone needs no build step before `npm start` or `npx datalyft`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
