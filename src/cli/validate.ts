import type { Command } from '../cli.ts';
import { validateCatalog, type ValidationReport, type ValidationResult } from '../catalog/validate.ts';
import { parseCommandArgs } from './args.ts';

export const command: Command = {
  name: 'validate',
  summary: 'Check catalog files against shapes/; exit 1 on any violation',
  usage: [
    'datalyft validate [paths...] [--warnings] [--json]',
    '',
    'Validates Turtle files (default: catalog/) against shapes/catalog.ttl (violations) and',
    'shapes/catalog-recommended.ttl (warnings). The ontology and the rest of catalog/ are read',
    'too, so references to provisions, purposes and agencies defined elsewhere resolve; only',
    'subjects defined in the named files are reported.',
    '',
    '  --warnings  list warnings as well as violations (they are always counted)',
    '  --json      print the report as JSON',
    '',
    'Exit code: 0 when there is no violation, 1 when there is one, 2 on a usage error.',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseCommandArgs({ args, options: { json: { type: 'boolean' }, warnings: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const { values, positionals } = parsed;
    const report = await validateCatalog({ paths: positionals.length > 0 ? positionals : undefined });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else io.out(formatReport(report, { warnings: values.warnings ?? false }));
    return report.conforms ? 0 : 1;
  },
};

/** The report as people read it: one line per result, grouped by file, then a summary. */
export function formatReport(report: ValidationReport, options: { warnings: boolean }): string {
  const shown = report.results.filter((r) => options.warnings || r.severity === 'violation');
  const lines: string[] = [];
  let file: string | undefined;
  for (const result of shown) {
    if (file !== undefined && result.file !== file) lines.push('');
    file = result.file;
    lines.push(formatResult(result));
  }
  const violations = report.results.filter((r) => r.severity === 'violation').length;
  const warnings = report.results.length - violations;
  const filesWithResults = new Set(report.results.map((r) => r.file)).size;
  const hidden = !options.warnings && warnings > 0 ? ' (--warnings lists them)' : '';
  if (lines.length > 0) lines.push('');
  lines.push(`${plural(violations, 'violation')}, ${plural(warnings, 'warning')} in ${plural(filesWithResults, 'file')} (${report.files.length} checked)${hidden}`);
  return lines.join('\n');
}

function formatResult(r: ValidationResult): string {
  const where = r.line ? `${r.file}:${r.line}` : r.file;
  const rule = [r.rule, r.path, r.value].filter(Boolean).join(' ');
  const message = r.severity === 'warning' ? `warning: ${r.message}` : r.message;
  return [where, r.shortSubject, rule, message].filter(Boolean).join('  ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
