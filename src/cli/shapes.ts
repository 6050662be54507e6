import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Catalog, REPO_ROOT } from '../catalog/catalog.ts';
import type { Command } from '../cli.ts';
import { generatedShapeFiles, RECORD_SHAPES_DIR, staleShapeFiles } from '../ingest/shapes.ts';
import { parseCommandArgs } from './args.ts';

export const command: Command = {
  name: 'shapes',
  summary: 'Generate the record shapes (shapes/records/) from the catalog; --check only compares',
  usage: [
    'datalyft shapes [--check]',
    '',
    'Writes shapes/records/<dataset>.ttl for every dataset with a record class: the SHACL',
    'shapes the ingest path runs on mapped records, generated from the same catalog elements',
    '(datatype, dl:required, dl:pattern, dl:validator) as the JSON Schema at the door. Files of',
    'datasets no longer in the catalog are removed.',
    '',
    '  --check  write nothing; exit 1 and list the files that are missing or out of date',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs({ args, options: { check: { type: 'boolean' } }, strict: true });
    const catalog = await Catalog.load();
    const files = generatedShapeFiles(catalog);
    const extra = readdirSync(RECORD_SHAPES_DIR, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ttl') && !files.has(path.join(RECORD_SHAPES_DIR, e.name))).map((e) => path.join(RECORD_SHAPES_DIR, e.name));
    if (values.check) {
      const stale = [...staleShapeFiles(catalog), ...extra.map((f) => `${path.relative(REPO_ROOT, f)} (no such dataset)`)];
      if (stale.length === 0) {
        io.out(`${files.size} record shape files are up to date.`);
        return 0;
      }
      io.err(`Out of date (run npx datalyft shapes):\n${stale.map((s) => `  ${s}`).join('\n')}`);
      return 1;
    }
    mkdirSync(RECORD_SHAPES_DIR, { recursive: true });
    for (const [file, text] of files) writeFileSync(file, text);
    for (const file of extra) rmSync(file);
    io.out(`Wrote ${files.size} files to ${path.relative(REPO_ROOT, RECORD_SHAPES_DIR)}/${extra.length > 0 ? `, removed ${extra.length}` : ''}.`);
    return 0;
  },
};
