/**
 * `datalyft quality`: the quality report over the data directory's quality log, as tables
 * on stdout, or as JSON. Unreadable log entries are listed on stderr; the rest still counts.
 */
import { Catalog } from '../catalog/catalog.ts';
import type { Command } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { fileQualityLog } from '../quality/log.ts';
import { buildQualityReport, type QualityReport } from '../quality/report.ts';
import { formatTable, percent } from './interop.ts';
import { parseCommandArgs } from './args.ts';

export function formatQuality(report: QualityReport, location: string): string {
  const out: string[] = [];
  out.push(`Quality report over ${location}${report.filter ? ` — narrowed to ${[report.filter.source, report.filter.datasetId].filter(Boolean).join(', ')}` : ''}`, '');
  if (report.ingests === 0) out.push('No ingest recorded yet.', '');
  else {
    out.push(`${report.ingests} ingests (${report.firstIngest} – ${report.lastIngest}), ${report.records} records, ${report.rejected} with a violation (${percent(report.share)}), ${report.violations} violations.`, '');
  }
  out.push(formatTable(['source system', 'ingests', 'records', 'with violation', 'share', 'most frequent rule', 'last ingest', 'feeds'], report.sources.map((s) => [
    s.sourceSystem, s.ingests, s.records, s.rejected, s.ingests > 0 ? percent(s.share) : 'no ingest yet',
    s.rules[0] ? `${s.rules[0].rule} (${s.rules[0].count})` : '-', s.lastIngest ?? '-', s.feeds.join(', '),
  ])), '');
  for (const s of report.sources.filter((x) => x.ingests > 0)) {
    out.push(`Source system ${s.sourceSystem}: ${s.records} records, ${s.rejected} with a violation (${percent(s.share)})`);
    if (s.rules.length === 0) out.push('  no violations');
    else {
      out.push(formatTable(['rule', 'layer', 'violations', 'records', 'share', 'example (masked)'], s.rules.map((r) => {
        const e = r.examples[0];
        const example = e ? `${e.field ? `${e.field}${e.value !== undefined ? `=${e.value}` : ''}: ` : ''}${e.message}` : '';
        return [r.rule, r.layer ?? '-', r.count, r.records, percent(r.share), example];
      }), { indent: '  ' }));
    }
    out.push(formatTable(['ingest time', 'dataset', 'records', 'rejected', 'share', 'violations'], s.trend.map((p) => [
      p.time, p.datasetId ?? '', p.records, p.rejected, percent(p.share), p.violations,
    ]), { indent: '  ' }), '');
  }
  if (report.datasets.length > 0) {
    out.push(formatTable(['source system', 'dataset', 'ingests', 'records', 'with violation', 'share', 'violations by rule'], report.datasets.map((d) => [
      d.sourceSystem, d.inCatalog ? d.datasetId : `${d.datasetId} (not in catalog)`, d.ingests, d.records, d.rejected, percent(d.share),
      d.rules.map((r) => `${r.rule} ${r.count}`).join(', ') || '-',
    ])));
  }
  return out.join('\n');
}

export const command: Command = {
  name: 'quality',
  summary: 'Quality report: violations by rule per source system and dataset, with masked examples and the trend',
  usage: [
    'datalyft quality [--json] [--data-dir DIR] [--source SYSTEM] [--dataset ID]',
    '',
    'Reads the quality log (<data dir>/quality/ingests.jsonl, one line per ingest) and shows, per',
    'source system and dataset, the violations found at the door (JSON Schema) and in the graph',
    '(SHACL) by rule, the share of records affected, a few examples with identity numbers',
    'masked (19850312-****), and the trend over ingests.',
    '',
    '  --data-dir DIR   the data directory (default: DATALYFT_DATA_DIR or ./data)',
    '  --source SYSTEM  only this source system',
    '  --dataset ID     only this dataset',
    '  --json           print the report as JSON (the same as GET /quality?format=json)',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseCommandArgs({
      args, allowPositionals: false, strict: true,
      options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, source: { type: 'string' }, dataset: { type: 'string' } },
    });
    const { values } = parsed;
    const dataDir = values['data-dir'] ?? loadConfig(process.env).dataDir;
    const log = fileQualityLog(dataDir);
    const [contents, catalog] = await Promise.all([log.read(), Catalog.load()]);
    const report = buildQualityReport(contents, catalog, { source: values.source, dataset: values.dataset });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatQuality(report, log.location));
    for (const p of report.problems) io.err(`datalyft quality: ${p.where}: ${p.message} (skipped)`);
    return 0;
  },
};
