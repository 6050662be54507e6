/**
 * `datalyft demo`: the demo data on its own. --out writes each dataset's records as NDJSON
 * in its source system's layout (for `datalyft ingest` or POST /datasets/{id}/records);
 * --load loads them into the data directory's store through the ingest path, as the hub
 * does on first start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Catalog } from '../catalog/catalog.ts';
import type { Command } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { DatalyftError } from '../errors.ts';
import { DEFAULT_SEED, generateDemo, loadDemo, storeHasRecords } from '../ingest/demo.ts';
import { openHubStore } from '../server.ts';
import { parseCommandArgs } from './args.ts';

export const command: Command = {
  name: 'demo',
  summary: 'Generate the synthetic demo data: write it as NDJSON per source system (--out) or load it (--load)',
  usage: [
    'datalyft demo --out DIR [--persons N] [--seed S] [--date YYYY-MM-DD]',
    '       datalyft demo --load [--data-dir DIR] [--persons N] [--seed S] [--date YYYY-MM-DD]',
    '',
    'The same generator the hub runs on an empty data directory: households, children, incomes,',
    'benefits, decisions, payments, controls, the absence register, with a few per cent of',
    'records wrong on purpose (invalid identifiers, impossible dates, wrong periods, negative',
    'amounts) for the quality report. Deterministic: the same seed, persons and date give the',
    'same records.',
    '',
    '  --out DIR   write DIR/<source system>/<dataset>.ndjson, records in the source layout',
    '  --load      load into the data directory (refused when it already holds records)',
    `  --persons N persons (default DATALYFT_DEMO_PERSONS or 10000)`,
    `  --seed S    seed of the generator (default ${DEFAULT_SEED})`,
    '  --date D    the demo\'s "today" (default: today)',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs({
      args, strict: true,
      options: { out: { type: 'string' }, load: { type: 'boolean' }, 'data-dir': { type: 'string' }, persons: { type: 'string' }, seed: { type: 'string' }, date: { type: 'string' } },
    });
    if (!values.out === !values.load) throw new DatalyftError('usage', 'Name one of --out DIR or --load.');
    const env = { ...process.env, ...(values['data-dir'] ? { DATALYFT_DATA_DIR: values['data-dir'] } : {}), ...(values.persons ? { DATALYFT_DEMO_PERSONS: values.persons } : {}) };
    const config = loadConfig(env);
    const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
    if (!Number.isInteger(seed)) throw new DatalyftError('usage', `--seed must be a whole number, not ${values.seed}.`);
    const reference = values.date === undefined ? new Date() : new Date(`${values.date}T00:00:00Z`);
    if (Number.isNaN(reference.getTime())) throw new DatalyftError('usage', `--date must be YYYY-MM-DD, not ${values.date}.`);
    const persons = config.demoPersons;
    const catalog = await Catalog.load();
    if (values.out) {
      let files = 0;
      let records = 0;
      for (const { dataset, layout, records: list, wrong } of generateDemo(catalog, { persons, seed, reference })) {
        if (list.length === 0) continue;
        const dir = path.join(values.out, layout.sourceSystem);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, `${dataset.id}.ndjson`), list.map((r) => JSON.stringify(r)).join('\n') + '\n');
        io.err(`${layout.sourceSystem}/${dataset.id}.ndjson: ${list.length} records (${wrong} wrong on purpose)`);
        files++;
        records += list.length;
      }
      io.out(`Wrote ${records} records in ${files} files to ${values.out}.`);
      return 0;
    }
    const store = await openHubStore(config, { log: io.err });
    try {
      if (await storeHasRecords(store)) throw new DatalyftError('data-dir-not-empty', `${config.dataDir} already holds records; the demo data goes into an empty data directory only.`, { status: 409 });
      let last = 0;
      const summary = await loadDemo({ catalog, store, config, now: () => new Date(), log: io.err }, {
        persons, seed, reference,
        onProgress: (done, total, dataset) => {
          if (Date.now() - last < 2000 && done < total) return;
          last = Date.now();
          io.err(`${done} of ${total} records (${Math.round((100 * done) / total)}%), ${dataset}`);
        },
      });
      io.out(JSON.stringify(summary));
      return 0;
    } finally {
      await store.close();
    }
  },
};
