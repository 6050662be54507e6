/**
 * The quality report as an HTML page, with the shared layout: summary, source systems
 * (worst first, with the datasets each feeds), per source the violations by rule with
 * masked examples and the trend over ingests, and per dataset the totals.
 */
import { html, layout, text, type SafeHtml } from '../http/html.ts';
import type { QualityReport, RuleQuality, SourceQuality, TrendPoint } from './report.ts';

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function anchor(source: string): string {
  return `source-${source.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function rulesTable(rules: RuleQuality[]): SafeHtml {
  if (rules.length === 0) return html`<p>No violations.</p>`;
  return html`<table>
<thead><tr><th scope="col">Rule</th><th scope="col">Layer</th><th scope="col">Violations</th><th scope="col">Records affected</th><th scope="col">Share of records</th><th scope="col">Examples (masked)</th></tr></thead>
<tbody>
${rules.map((r) => html`<tr>
<td><code>${r.rule}</code></td><td>${r.layer === 'door' ? 'door (JSON Schema)' : r.layer === 'graph' ? 'graph (SHACL)' : '—'}</td>
<td>${r.count}</td><td>${r.records}</td><td>${percent(r.share)}</td>
<td>${r.examples.length === 0 ? html`<span class="muted">none kept</span>` : html`<ul>${r.examples.map((e) => html`<li>${e.record !== undefined ? html`record ${e.record}` : ''}${e.field ? html` <code>${e.field}</code>` : ''}${e.value !== undefined ? html` = <code>${e.value}</code>` : ''}: ${e.message}</li>`)}</ul>`}</td>
</tr>`)}
</tbody>
</table>`;
}

function trendTable(points: TrendPoint[], options: { dataset: boolean }): SafeHtml {
  if (points.length === 0) return html``;
  return html`<table>
<caption>Trend over ingests</caption>
<thead><tr><th scope="col">Ingest time</th>${options.dataset ? html`<th scope="col">Dataset</th>` : ''}<th scope="col">Records</th><th scope="col">Rejected</th><th scope="col">Share</th><th scope="col">Violations</th><th scope="col">Stored</th></tr></thead>
<tbody>
${points.map((p) => html`<tr><td>${p.time}</td>${options.dataset ? html`<td><code>${p.datasetId ?? ''}</code></td>` : ''}<td>${p.records}</td><td>${p.rejected}</td><td>${percent(p.share)}</td><td>${p.violations}</td><td>${p.committed === undefined ? '—' : p.committed ? 'yes' : 'no'}</td></tr>`)}
</tbody>
</table>`;
}

function feeds(s: SourceQuality): SafeHtml {
  if (s.feeds.length === 0) return html`<span class="muted">no dataset in the catalog names it</span>`;
  return html`${s.feeds.map((id, i) => html`${i > 0 ? html`<br>` : ''}<a href="/datasets/${encodeURIComponent(id)}">${text(s.feedTitles[i], 'sv')}</a> <code class="muted">${id}</code>`)}`;
}

function sourceSection(s: SourceQuality): SafeHtml {
  return html`<section id="${anchor(s.sourceSystem)}">
<h3>Source system <code>${s.sourceSystem}</code></h3>
<p>${s.ingests} ingest${s.ingests === 1 ? '' : 's'}, ${s.records} records, ${s.rejected} with a violation (${percent(s.share)}), ${s.violations} violations${s.lastIngest ? `, last ${s.lastIngest}` : ''}. Feeds: ${feeds(s)}</p>
${rulesTable(s.rules)}
${trendTable(s.trend, { dataset: s.datasets.length > 1 })}
</section>`;
}

export function qualityPage(report: QualityReport, options: { query: string }): string {
  const at = (f: string) => `/quality?${options.query ? `${options.query}&` : ''}format=${f}`;
  const delivered = report.sources.filter((s) => s.ingests > 0);
  const waiting = report.sources.filter((s) => s.ingests === 0);
  const narrowed = report.filter ? ` — ${[report.filter.source, report.filter.datasetId].filter(Boolean).join(', ')}` : '';
  const body = html`
<h1>Data quality${narrowed}</h1>
<p>What validation found in the records each source system delivered: at the door (JSON Schema on the source
record, with real checks of personnummer, samordningsnummer, organisationsnummer and skolenhetskod) and in the
graph (SHACL on the mapped records). Counts of violations by rule, the share of records affected, a few examples
with identity numbers masked, and the trend over ingests. It is the instrument for mapping errors in employers'
individual income statements (<span lang="sv">arbetsgivardeklaration på individnivå</span>) that SOU 2025:108 asks for:
each source system has its own table of rules below.</p>
<p class="muted">Also as <a href="${at('jsonld')}">JSON-LD</a> · <a href="${at('json')}">JSON</a>.${report.filter ? html` <a href="/quality">All sources</a>.` : ''}</p>

<h2 id="summary">Summary</h2>
${report.ingests === 0
    ? html`<p>No ingest has been recorded yet. Outcomes appear here once source systems deliver records
(<code>POST /datasets/{id}/records</code> or <code>datalyft ingest</code>).</p>`
    : html`<table><tbody>
<tr><th scope="row">Ingests</th><td>${report.ingests}${report.firstIngest ? ` (${report.firstIngest} – ${report.lastIngest})` : ''}</td></tr>
<tr><th scope="row">Records received</th><td>${report.records}</td></tr>
<tr><th scope="row">Records with a violation</th><td>${report.rejected} (${percent(report.share)})</td></tr>
<tr><th scope="row">Violations</th><td>${report.violations}</td></tr>
<tr><th scope="row">Source systems, datasets</th><td>${report.sourceSystems}, ${report.datasetCount}</td></tr>
</tbody></table>`}
${report.problems.length > 0 ? html`<h2 id="problems">Unreadable log entries</h2>
<p>These entries of the quality log could not be read; the rest still counts.</p>
<ul>${report.problems.map((p) => html`<li><code>${p.where}</code>: ${p.message}</li>`)}</ul>` : ''}

<h2 id="sources">Source systems</h2>
<table>
<thead><tr><th scope="col">Source system</th><th scope="col">Feeds</th><th scope="col">Ingests</th><th scope="col">Records</th><th scope="col">With a violation</th><th scope="col">Share</th><th scope="col">Most frequent rule</th><th scope="col">Last ingest</th></tr></thead>
<tbody>
${report.sources.map((s) => html`<tr>
<td>${s.ingests > 0 ? html`<a href="#${anchor(s.sourceSystem)}"><code>${s.sourceSystem}</code></a>` : html`<code>${s.sourceSystem}</code>`}</td>
<td>${feeds(s)}</td>
<td>${s.ingests}</td><td>${s.records}</td><td>${s.rejected}</td><td>${s.ingests > 0 ? percent(s.share) : html`<span class="muted">no ingest yet</span>`}</td>
<td>${s.rules[0] ? html`<code>${s.rules[0].rule}</code> (${s.rules[0].count})` : '—'}</td><td>${s.lastIngest ?? '—'}</td>
</tr>`)}
</tbody>
</table>

<h2 id="by-rule">Violations by rule, per source system</h2>
${delivered.length === 0 ? html`<p class="muted">Nothing delivered yet.</p>` : delivered.map(sourceSection)}
${waiting.length > 0 ? html`<p class="muted">No ingest recorded yet from: ${waiting.map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s.sourceSystem}</code>`)}.</p>` : ''}

<h2 id="datasets">Per source system and dataset</h2>
${report.datasets.length === 0 ? html`<p class="muted">No ingest recorded.</p>` : html`<table>
<thead><tr><th scope="col">Source system</th><th scope="col">Dataset</th><th scope="col">Ingests</th><th scope="col">Records</th><th scope="col">With a violation</th><th scope="col">Share</th><th scope="col">Violations by rule</th></tr></thead>
<tbody>
${report.datasets.map((d) => html`<tr>
<td><code>${d.sourceSystem}</code></td>
<td>${d.inCatalog ? html`<a href="/datasets/${encodeURIComponent(d.datasetId)}"><code>${d.datasetId}</code></a><br>${text(d.title, 'sv')}` : html`<code>${d.datasetId}</code> <span class="muted">(not in the catalog)</span>`}</td>
<td>${d.ingests}</td><td>${d.records}</td><td>${d.rejected}</td><td>${percent(d.share)}</td>
<td>${d.rules.length === 0 ? html`<span class="muted">none</span>` : d.rules.map((r, i) => html`${i > 0 ? ', ' : ''}<code>${r.rule}</code> ${r.count}`)}</td>
</tr>`)}
</tbody>
</table>`}`;
  return layout({ title: 'Data quality', body, active: '/quality' });
}
