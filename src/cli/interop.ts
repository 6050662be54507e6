/**
 * `datalyft interop`: the interoperability report as tables on stdout, or as JSON.
 */
import { Catalog } from '../catalog/catalog.ts';
import type { Command } from '../cli.ts';
import { buildInteropReport, viewInteropReport, type InteropView, type LawfulPurpose, type RegimeCount } from '../interop/report.ts';
import { parseCommandArgs } from './args.ts';

/** Columns padded to their widest cell; the header in capitals. */
export function formatTable(headers: string[], rows: (string | number)[][], options: { indent?: string } = {}): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => `${options.indent ?? ''}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd()).join('\n');
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function counts(view: InteropView, list: RegimeCount[]): string[] {
  return view.regimes.map((r) => String(list.find((c) => c.regime === r.regime)?.count ?? 0));
}

function lawful(purposes: LawfulPurpose[]): string {
  if (purposes.length === 0) return '-';
  return purposes.map((p) => `${p.purposeId}@${p.agencyIds.join('+')}${p.aggregatesOnly ? '(agg)' : ''}`).join(' ');
}

export function formatInterop(view: InteropView): string {
  const s = view.summary;
  const regimeIds = view.regimes.map((r) => r.regimeId);
  const out: string[] = [];
  const narrowed = view.filter ? ` — narrowed to ${[view.filter.datasetId, view.filter.conceptId].filter(Boolean).join(', ')}` : '';
  out.push(`Interoperability report${narrowed} (join decisions at ${view.decidedAt})`, '');
  out.push(formatTable(['summary', ''], [
    ['datasets', s.datasets],
    ['elements mapped to a shared concept', `${s.mapped} of ${s.elements} (${percent(s.share)})`],
    ['conflicts', `${s.conflicts} (datatype ${s.conflictsByAspect.datatype}, unit ${s.conflictsByAspect.unit}, code list ${s.conflictsByAspect.codeList})`],
    ['identifying concepts', s.identifyingConcepts],
    ['join paths', s.joinPaths],
    ...view.regimes.map((r) => [`lawful join paths, ${r.regimeId}`, s.lawfulJoinPaths.find((c) => c.regime === r.regime)?.count ?? 0]),
  ]), '');
  out.push(formatTable(
    ['agency', 'datasets', 'mapped', 'share', 'conflicts', 'join paths', 'internal', ...regimeIds.map((r) => `lawful@agency ${r}`), ...regimeIds.map((r) => `lawful internal ${r}`)],
    view.agencies.map((a) => [a.identifier, a.datasets, `${a.mapped}/${a.elements}`, percent(a.share), a.conflicts, a.joinPaths, a.internalJoinPaths, ...counts(view, a.lawfulJoinPaths), ...counts(view, a.lawfulInternalJoinPaths)]),
  ), '');
  out.push(formatTable(
    ['dataset', 'controller', 'mapped', 'share', 'conflicts', 'join paths', ...regimeIds.map((r) => `lawful ${r}`), 'not mapped'],
    view.datasets.map((d) => [d.identifier, d.controllerId ?? '', `${d.mapped}/${d.elements}`, percent(d.share), d.conflicts, d.joinPaths, ...counts(view, d.lawfulJoinPaths), d.unmapped.join(', ')]),
  ), '');
  if (view.conflicts.length === 0) out.push('No conflicts: every element mapped to a shared concept uses its datatype, unit and code list.', '');
  else {
    out.push(formatTable(['concept', 'aspect', 'element', 'value', 'differs from'], view.conflicts.map((c) => [
      c.conceptId, c.aspect, `${c.datasetId}/${c.elementId}`, c.value,
      c.against.kind === 'concept' ? `concept ${c.against.conceptId}: ${c.against.value}` : `${c.against.datasetId}/${c.against.elementId}: ${c.against.value}`,
    ])), '');
  }
  out.push(formatTable(['identifying concept', 'datasets', 'join paths', ...regimeIds.map((r) => `lawful ${r}`)],
    view.joinConcepts.map((c) => [c.conceptId, c.datasets.length, c.joinPaths, ...counts(view, c.lawfulJoinPaths)])), '');
  if (view.joinPaths) {
    const focus = view.filter?.datasetId;
    out.push(view.joinPaths.length === 0 ? 'No join paths.' : formatTable(
      focus ? ['concept', 'joins with', ...regimeIds.map((r) => `lawful purposes ${r}`)] : ['concept', 'dataset', 'dataset', ...regimeIds.map((r) => `lawful purposes ${r}`)],
      view.joinPaths.map((p) => [
        p.conceptId,
        ...(focus ? [p.from.identifier === focus ? p.to.identifier : p.from.identifier] : [p.from.identifier, p.to.identifier]),
        ...view.regimes.map((r) => lawful(p.lawful.find((l) => l.regime === r.regime)?.purposes ?? [])),
      ]),
    ));
    out.push('', 'Lawful purposes are written purpose@agencies; (agg) = aggregates only.');
  } else out.push(`${view.joinPathsOmitted?.replace('dataset=<id> or concept=<id>, or ask for paths=all', '--dataset <id> or --concept <id>, or ask for --paths') ?? ''}`);
  for (const note of view.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

export const command: Command = {
  name: 'interop',
  summary: 'Interoperability report: shared concepts, conflicts, join paths and where a join is lawful',
  usage: [
    'datalyft interop [--json] [--dataset ID] [--concept ID] [--paths] [--catalog PATH ...]',
    '',
    'Per dataset, per agency and overall: the share of data elements mapped to shared concepts;',
    'concepts defined differently in two datasets (datatype, unit, code list); and the join paths',
    'between datasets on identifying concepts, with the purposes under which each join is lawful',
    'per legal regime, as the purpose gate decides it.',
    '',
    '  --dataset ID  narrow to one dataset and list its join paths',
    '  --concept ID  narrow to one identifying concept and list its join paths',
    '  --paths       list every join path of the unnarrowed report (thousands)',
    '  --json        print the report as JSON (the same as GET /interoperability?format=json)',
    '  --catalog     read these files or folders instead of ontology/datalyft.ttl and catalog/',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseCommandArgs({
      args, allowPositionals: false, strict: true,
      options: {
        json: { type: 'boolean' }, dataset: { type: 'string' }, concept: { type: 'string' }, paths: { type: 'boolean' },
        catalog: { type: 'string', multiple: true },
      },
    });
    const { values } = parsed;
    const catalog = await Catalog.load(values.catalog ? { paths: values.catalog } : {});
    const view = viewInteropReport(buildInteropReport(catalog), catalog, { dataset: values.dataset, concept: values.concept, allPaths: values.paths ?? false });
    io.out(values.json ? JSON.stringify(view, null, 2) : formatInterop(view));
    return 0;
  },
};
