/**
 * The interoperability report as an HTML page, with the shared layout: summary, agencies,
 * datasets, conflicts, join concepts; the lawful groups of a concept and the join paths
 * when the page is narrowed to a dataset or a concept (unnarrowed there are thousands).
 */
import { html, layout, raw, text, type SafeHtml } from '../http/html.ts';
import type { Conflict, ConflictSide, InteropView, JoinPath, LawfulPurpose, RegimeCount } from './report.ts';

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function datasetLink(id: string): SafeHtml {
  return html`<a href="/datasets/${encodeURIComponent(id)}"><code>${id}</code></a>`;
}

function narrowLink(params: Record<string, string>, label: SafeHtml | string): SafeHtml {
  return html`<a href="/interoperability?${new URLSearchParams(params).toString()}">${label}</a>`;
}

function regimeCells(view: InteropView, counts: RegimeCount[]): SafeHtml {
  return html`${view.regimes.map((r) => html`<td>${counts.find((c) => c.regime === r.regime)?.count ?? 0}</td>`)}`;
}

function regimeHeads(view: InteropView, prefix: string): SafeHtml {
  return html`${view.regimes.map((r) => html`<th scope="col">${prefix}<abbr title="${r.label.en ?? r.label.sv ?? r.regimeId}">${r.regimeId}</abbr>${r.isProposal ? html` <span class="tag">proposal</span>` : ''}</th>`)}`;
}

function side(s: ConflictSide): SafeHtml {
  return s.kind === 'concept'
    ? html`concept <a href="/concepts/${encodeURIComponent(s.conceptId ?? '')}"><code>${s.conceptId}</code></a>: <code>${s.value}</code>`
    : html`${datasetLink(s.datasetId ?? '')} / <code>${s.elementId}</code>: <code>${s.value}</code>`;
}

function conflictRow(c: Conflict): SafeHtml {
  return html`<tr>
<td><a href="/concepts/${encodeURIComponent(c.conceptId)}"><code>${c.conceptId}</code></a></td>
<td>${c.aspect}</td>
<td>${datasetLink(c.datasetId)} / <code>${c.elementId}</code>: <code>${c.value}</code></td>
<td>${side(c.against)}${c.example ? html`<br><span class="muted">as in</span> ${side(c.example)}` : ''}</td>
</tr>`;
}

function lawfulPurposes(purposes: LawfulPurpose[]): SafeHtml {
  if (purposes.length === 0) return html`<span class="muted">not lawful</span>`;
  return html`${purposes.map((p, i) => html`${i > 0 ? html`<br>` : ''}<a href="/purposes/${encodeURIComponent(p.purposeId)}"><code>${p.purposeId}</code></a> <span class="muted">at ${p.agencyIds.join(', ')}</span>${p.aggregatesOnly ? html` <span class="tag">aggregates only</span>` : ''}`)}`;
}

function joinPathRow(view: InteropView, p: JoinPath): SafeHtml {
  return html`<tr>
<td><code>${p.conceptId}</code></td>
<td>${datasetLink(p.from.identifier)} <span class="muted">${p.from.controllerId ?? ''}</span></td>
<td>${datasetLink(p.to.identifier)} <span class="muted">${p.to.controllerId ?? ''}</span></td>
${view.regimes.map((r) => html`<td>${lawfulPurposes(p.lawful.find((l) => l.regime === r.regime)?.purposes ?? [])}</td>`)}
</tr>`;
}

/** More join paths than this on a page narrowed only by concept are left to the lawful groups. */
const MAX_PATH_ROWS = 300;

export function interopPage(view: InteropView, options: { datasets: string[]; concepts: string[]; query: string; allPaths?: boolean }): string {
  const s = view.summary;
  const narrowed = view.filter ? ` — ${[view.filter.datasetId, view.filter.conceptId].filter(Boolean).join(', ')}` : '';
  const at = (f: string) => `/interoperability?${options.query ? `${options.query}&` : ''}format=${f}`;
  const concepts = view.joinConcepts;
  const groups = view.filter?.conceptId ? concepts.flatMap((c) => c.lawfulGroups) : [];
  const body = html`
<h1>Interoperability${narrowed}</h1>
<p>How far the datasets of the catalog speak the same language: the share of data elements mapped to
<a href="/concepts">shared concepts</a>, concepts defined differently in different datasets, and the join paths
between datasets — which identifiers connect them, and under which purposes a join is lawful under each legal regime,
as the purpose gate decides it. This is the progress measure for the plan for full internal interoperability
(SOU 2025:108).</p>
<p class="muted">Also as <a href="${at('jsonld')}">JSON-LD</a> · <a href="${at('json')}">JSON</a>. Join decisions taken at ${view.decidedAt}.</p>
<form class="facets" method="get" action="/interoperability">
<label for="interop-dataset">Dataset
<select id="interop-dataset" name="dataset"><option value="">all</option>
${options.datasets.map((id) => html`<option value="${id}"${view.filter?.datasetId === id ? raw(' selected') : ''}>${id}</option>`)}
</select></label>
<label for="interop-concept">Identifying concept
<select id="interop-concept" name="concept"><option value="">all</option>
${options.concepts.map((id) => html`<option value="${id}"${view.filter?.conceptId === id ? raw(' selected') : ''}>${id}</option>`)}
</select></label>
<button type="submit">Narrow</button> <a href="/interoperability">Clear</a>
</form>

<h2 id="summary">Summary</h2>
<table>
<tbody>
<tr><th scope="row">Datasets</th><td>${s.datasets}</td></tr>
<tr><th scope="row">Data elements mapped to a shared concept</th><td>${s.mapped} of ${s.elements} (${percent(s.share)})</td></tr>
<tr><th scope="row">Conflicts</th><td>${s.conflicts} (datatype ${s.conflictsByAspect.datatype}, unit ${s.conflictsByAspect.unit}, code list ${s.conflictsByAspect.codeList})</td></tr>
<tr><th scope="row">Identifying concepts</th><td>${s.identifyingConcepts}</td></tr>
<tr><th scope="row">Join paths</th><td>${s.joinPaths}</td></tr>
${view.regimes.map((r) => html`<tr><th scope="row">Lawful join paths: ${text(r.label)}${r.isProposal ? html` <span class="tag">proposal</span>` : ''}</th><td>${s.lawfulJoinPaths.find((c) => c.regime === r.regime)?.count ?? 0}</td></tr>`)}
</tbody>
</table>

<h2 id="agencies">Per agency</h2>
<table>
<thead><tr><th scope="col">Agency</th><th scope="col">Datasets</th><th scope="col">Elements mapped</th><th scope="col">Conflicts</th><th scope="col">Join paths</th><th scope="col">Internal join paths</th>${regimeHeads(view, 'Lawful at the agency: ')}${regimeHeads(view, 'Lawful internal: ')}</tr></thead>
<tbody>
${view.agencies.map((a) => html`<tr>
<td><a href="/agencies/${encodeURIComponent(a.identifier)}">${a.name}</a></td>
<td>${a.datasets}</td><td>${a.mapped} of ${a.elements} (${percent(a.share)})</td><td>${a.conflicts}</td><td>${a.joinPaths}</td><td>${a.internalJoinPaths}</td>
${regimeCells(view, a.lawfulJoinPaths)}${regimeCells(view, a.lawfulInternalJoinPaths)}
</tr>`)}
</tbody>
</table>

<h2 id="datasets">Per dataset</h2>
<table>
<thead><tr><th scope="col">Dataset</th><th scope="col">Controller</th><th scope="col">Elements mapped</th><th scope="col">Not mapped</th><th scope="col">Conflicts</th><th scope="col">Join paths</th>${regimeHeads(view, 'Lawful: ')}</tr></thead>
<tbody>
${view.datasets.map((d) => html`<tr>
<td>${narrowLink({ dataset: d.identifier }, html`<code>${d.identifier}</code>`)}<br>${text(d.title, 'sv')}</td>
<td>${d.controllerId ?? ''}</td>
<td>${d.mapped} of ${d.elements} (${percent(d.share)})</td>
<td>${d.unmapped.length > 0 ? html`${d.unmapped.map((e, i) => html`${i > 0 ? ', ' : ''}<code>${e}</code>`)}` : html`<span class="muted">none</span>`}${d.unknownConcepts.length > 0 ? html`<br><span class="muted">unknown concept:</span> ${d.unknownConcepts.map((u) => html`<code>${u.elementId}</code> → <code>${u.concept}</code> `)}` : ''}</td>
<td>${d.conflicts}</td><td>${d.joinPaths}</td>${regimeCells(view, d.lawfulJoinPaths)}
</tr>`)}
</tbody>
</table>

<h2 id="conflicts">Conflicts</h2>
${view.conflicts.length === 0
    ? html`<p>No conflicts: every element mapped to a shared concept uses the concept's datatype, unit and code list.</p>`
    : html`<table>
<thead><tr><th scope="col">Concept</th><th scope="col">Aspect</th><th scope="col">Element and its value</th><th scope="col">Differs from</th></tr></thead>
<tbody>${view.conflicts.map(conflictRow)}</tbody>
</table>`}

<h2 id="join-concepts">Join paths by identifying concept</h2>
<table>
<thead><tr><th scope="col">Concept</th><th scope="col">Datasets</th><th scope="col">Join paths</th>${regimeHeads(view, 'Lawful: ')}</tr></thead>
<tbody>
${concepts.map((c) => html`<tr>
<td>${narrowLink({ concept: c.conceptId }, html`<code>${c.conceptId}</code>`)}<br>${text(c.label)}</td>
<td>${c.datasets.length}</td><td>${c.joinPaths}</td>${regimeCells(view, c.lawfulJoinPaths)}
</tr>`)}
</tbody>
</table>
${groups.length > 0 ? html`
<h2 id="lawful-groups">Who may join what, for which purpose</h2>
<p>Each row: the datasets principals of one agency may join with each other on this concept for one purpose; every pair within a row is a lawful join path.</p>
<table>
<thead><tr><th scope="col">Regime</th><th scope="col">Purpose</th><th scope="col">At</th><th scope="col">Datasets</th></tr></thead>
<tbody>
${groups.map((g) => html`<tr><td>${g.regimeId}</td><td><a href="/purposes/${encodeURIComponent(g.purposeId)}"><code>${g.purposeId}</code></a>${g.aggregatesOnly ? html` <span class="tag">aggregates only</span>` : ''}</td><td>${g.agencyId}</td><td>${g.datasets.map((id, i) => html`${i > 0 ? ', ' : ''}${datasetLink(id)}`)}</td></tr>`)}
</tbody>
</table>` : ''}
<h2 id="join-paths">Join paths</h2>
${view.joinPaths && !options.allPaths && !view.filter?.datasetId && view.joinPaths.length > MAX_PATH_ROWS
    ? html`<p>${view.joinPaths.length} join paths: the lawful groups above say which are lawful. Narrow by dataset as well,
or ${narrowLink({ ...(view.filter?.conceptId ? { concept: view.filter.conceptId } : {}), paths: 'all' }, 'list them all')}.</p>`
    : view.joinPaths
    ? (view.joinPaths.length === 0
      ? html`<p class="muted">No join paths.</p>`
      : html`<table>
<thead><tr><th scope="col">Concept</th><th scope="col">Dataset</th><th scope="col">Dataset</th>${regimeHeads(view, 'Lawful purposes: ')}</tr></thead>
<tbody>${view.joinPaths.map((p) => joinPathRow(view, p))}</tbody>
</table>`)
    : html`<p>${view.joinPathsOmitted ?? ''} Pick a dataset or a concept above.</p>`}
${view.notes.length > 0 ? html`<h2 id="notes">Notes</h2><ul>${view.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
  return layout({ title: 'Interoperability', body, active: '/interoperability' });
}
