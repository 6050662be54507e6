import path from 'node:path';
import type { Command } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { DatalyftError } from '../errors.ts';
import { auditFileIn, readEntries, type AuditEntry } from '../audit/log.ts';
import { verifyAuditFile } from '../audit/verify.ts';
import { parseCommandArgs } from './args.ts';

const USAGE = [
  'datalyft audit verify [--data-dir DIR | --file FILE] [--json]',
  'datalyft audit list   [--data-dir DIR | --file FILE] [--principal ID] [--decision allow|deny] [--limit N] [--json]',
  '',
  'verify  checks every entry of the audit trail (<data dir>/audit/audit.jsonl): that it parses,',
  '        follows the one before it (sequence number and prevHash) and matches its own hash.',
  '        Names the first edited, deleted or reordered entry by seq and line. Prints the head',
  '        hash when the chain holds: keep it elsewhere to detect a later rewrite of the tail.',
  'list    prints entries, newest last, one line each.',
  '',
  'The data directory defaults to DATALYFT_DATA_DIR (./data).',
  '',
  'Exit code: 0 when the trail verifies, 1 when it does not, 2 on a usage error.',
].join('\n');

function summary(e: AuditEntry): string {
  const who = e.principal?.replace(/^.*\//, '') ?? '-';
  const purpose = e.purpose?.replace(/^.*\//, '') ?? '-';
  const outcome = e.kind === 'completion' ? `rows=${e.rows ?? 0}${e.truncated ? ' truncated' : ''}${e.code ? ` ${e.code}` : ''} (seq ${e.refers})` : `${e.decision ?? '-'}${e.code ? ` ${e.code}` : ''}`;
  return `${e.seq}\t${e.time}\t${e.kind}\t${who}\t${purpose}\t${outcome}${e.transaction ? `\ttx=${e.transaction}` : ''}`;
}

export const command: Command = {
  name: 'audit',
  summary: 'Verify or list the hash-chained audit trail of the purpose gate',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs({
      args,
      options: {
        'data-dir': { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' },
        principal: { type: 'string' }, decision: { type: 'string' }, limit: { type: 'string' },
      },
      allowPositionals: true, strict: true,
    }, USAGE);
    const { values, positionals } = parsed;
    const verb = positionals[0];
    if (verb !== 'verify' && verb !== 'list') throw new DatalyftError('usage', `Say what to do: verify or list.\n\nUsage:\n${USAGE}`);
    const file = values.file ? path.resolve(values.file) : auditFileIn(values['data-dir'] ? path.resolve(values['data-dir']) : loadConfig(process.env).dataDir);

    if (verb === 'verify') {
      const report = verifyAuditFile(file);
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else if (report.ok) io.out(`${file}: ${report.entries} entries, chain intact${report.head ? `; head seq ${report.head.seq} hash ${report.head.hash}` : ''}`);
      else io.err(`${file}:${report.problem!.line}: entry seq ${report.problem!.seq} ${report.problem!.kind}: ${report.problem!.message}`);
      return report.ok ? 0 : 1;
    }

    if (values.decision && values.decision !== 'allow' && values.decision !== 'deny') throw new DatalyftError('usage', '--decision is allow or deny.');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new DatalyftError('usage', '--limit is a positive integer.');
    let entries = readEntries(file);
    if (values.principal) entries = entries.filter((e) => e.principal === values.principal || e.principal?.endsWith(`/${values.principal}`));
    if (values.decision) entries = entries.filter((e) => e.decision === values.decision);
    if (limit !== undefined) entries = entries.slice(-limit);
    io.out(values.json ? JSON.stringify(entries, null, 2) : entries.map(summary).join('\n') || '(no entries)');
    return 0;
  },
};
