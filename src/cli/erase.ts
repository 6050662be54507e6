import { AuditLog } from '../audit/log.ts';
import { Catalog } from '../catalog/catalog.ts';
import type { Command } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { DatalyftError } from '../errors.ts';
import { eraseYear } from '../register/erasure.ts';
import { requireRegister, yearlyRegisters } from '../register/registers.ts';
import { openHubStore } from '../server.ts';
import { parseCommandArgs } from './args.ts';

export const command: Command = {
  name: 'erase',
  summary: 'Erase one year of a register with yearly erasure (the absence register), audited',
  usage: `datalyft erase --register <dataset id> --year YYYY [--data-dir DIR] [--by NAME]

Drops every named graph of that year of the register from the store of the data directory
(DATALYFT_DATA_DIR, default ./data) and writes an audit entry: register, year, graphs,
quads and records removed, time and who (--by, default the operating-system user). No
value of the records is written anywhere. A year with nothing left is a no-op, reported and
audited as such. Run it with the hub stopped; a running hub erases due years itself (on
DATALYFT_ERASURE_DATE each year, the previous year).

Exit codes: 0 erased or nothing to erase, 2 usage or unknown register.`,
  async run(args, io) {
    const { values } = parseCommandArgs({ args, options: { register: { type: 'string' }, year: { type: 'string' }, 'data-dir': { type: 'string' }, by: { type: 'string' } }, strict: true });
    const catalog = await Catalog.load();
    if (!values.register) {
      throw new DatalyftError('usage', `Name the register with --register; registers with yearly erasure: ${yearlyRegisters(catalog).map((r) => r.dataset.id).join(', ') || 'none'}.`, { where: { parameter: 'register' } });
    }
    if (!values.year || !/^[0-9]{4}$/.test(values.year)) {
      throw new DatalyftError('usage', 'Give the year to erase as --year YYYY.', { where: { parameter: 'year' } });
    }
    // Refuse a dataset that is no register before touching the data directory.
    requireRegister(catalog, values.register);
    const env = { ...process.env };
    if (values['data-dir'] !== undefined) env.DATALYFT_DATA_DIR = values['data-dir'];
    const config = loadConfig(env);
    const store = await openHubStore(config);
    const audit = AuditLog.open(config.dataDir, { log: io.err });
    try {
      const actor = values.by ?? `cli:${process.env.USER ?? process.env.LOGNAME ?? 'operator'}`;
      const result = await eraseYear({ catalog, store, audit, now: () => new Date() }, { register: values.register, year: Number(values.year), actor, auditNoop: true });
      io.out(result.noop
        ? `${result.register} ${result.year}: nothing to erase (no graph of that year is left); recorded as audit entry ${result.auditSeq}.`
        : `${result.register} ${result.year}: erased ${result.graphs.length} graphs, ${result.quads} quads, ${result.records} records; audit entry ${result.auditSeq}.`);
      return 0;
    } finally {
      await store.close();
      audit.close();
    }
  },
};
