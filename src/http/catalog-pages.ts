/**
 * HTML pages of the catalog API, rendered from the plain-JSON views in src/catalog/views.ts
 * with the shared layout. Simple semantic markup: headings, tables with header cells,
 * definition lists, and the facets as a GET form with labels.
 */
import type { FacetCount, FacetName, SearchResult } from '../catalog/search.ts';
import { FACET_NAMES } from '../catalog/search.ts';
import type {
  AgencyView, ConceptView, DatasetDetail, DatasetSummary, ProvisionDetail, ProvisionRef, ProvisionSummary,
  PurposeDetail, PurposeSummary, Ref, RegimeRef, RegimeView, RuleView, SecrecyView, TermRef,
} from '../catalog/views.ts';
import type { EndpointDoc } from './endpoints.ts';
import { shorten } from '../rdf/namespaces.ts';
import { bilingual, html, layout, plain, raw, text, type SafeHtml } from './html.ts';

function link(ref: Ref | undefined, prefer: 'en' | 'sv' = 'en'): SafeHtml {
  if (!ref) return html``;
  const label = Object.keys(ref.label).length > 0 ? text(ref.label, prefer) : html`${ref.id}`;
  return ref.href ? html`<a href="${ref.href}">${label}</a>` : html`${label} <span class="muted">(not in the catalog)</span>`;
}

function cite(ref: ProvisionRef): SafeHtml {
  return ref.href ? html`<a href="${ref.href}">${ref.citation}</a>` : html`${ref.citation}`;
}

/** An IRI shortened with our prefixes (`dlt:tfpOrsak`, `xsd:string`), the full IRI as its title. */
function curie(iri: string | undefined): SafeHtml {
  if (!iri) return html``;
  const short = shorten(iri);
  return short.startsWith('<') ? html`<code>${iri}</code>` : html`<code title="${iri}">${short}</code>`;
}

/** An agency, by its Swedish name: the name is a proper noun. */
function agency(ref: Ref | undefined): SafeHtml {
  return link(ref, 'sv');
}

function term(t: TermRef | undefined): SafeHtml {
  return t ? text(t.label) : html``;
}

function list<T>(items: T[], render: (item: T) => SafeHtml, empty = 'none'): SafeHtml {
  if (items.length === 0) return html`<span class="muted">${empty}</span>`;
  return html`<ul>${items.map((item) => html`<li>${render(item)}</li>`)}</ul>`;
}

function inline<T>(items: T[], render: (item: T) => SafeHtml, empty = '—'): SafeHtml {
  if (items.length === 0) return empty ? html`<span class="muted">${empty}</span>` : html``;
  return html`${items.map((item, i) => html`${i > 0 ? ', ' : ''}${render(item)}`)}`;
}

function regimeName(r: RegimeRef): SafeHtml {
  return html`${link(r)}${r.isProposal ? html` <span class="tag">proposal</span>` : ''}`;
}

/** "Also as JSON-LD · JSON · Turtle" for the current path and query. */
function formats(path: string, query = ''): SafeHtml {
  const sep = query ? '&' : '?';
  const at = (f: string) => `${path}${query ? `?${query}` : ''}${sep}format=${f}`;
  return html`<p class="muted">Also as <a href="${at('jsonld')}">JSON-LD</a> · <a href="${at('json')}">JSON</a> · <a href="${at('ttl')}">Turtle</a></p>`;
}

function secrecyCell(s: SecrecyView): SafeHtml {
  return html`${cite(s)}${s.damageTest ? html` — ${term(s.damageTest)}` : ''}${s.maxYears !== undefined ? html`, ${s.maxYears} years` : ''}`;
}

// ---------------------------------------------------------------- index

export interface IndexCounts {
  datasets: number;
  purposes: number;
  provisions: number;
  regimes: number;
  agencies: number;
  concepts: number;
}

export function indexPage(counts: IndexCounts, endpoints: EndpointDoc[]): string {
  const body = html`
<h1>Datalyft</h1>
<p>The catalog and purpose gate for Swedish social insurance: every core dataset of
<span lang="sv">Försäkringskassan</span> and <span lang="sv">Pensionsmyndigheten</span> with its data elements,
legal basis, purposes, secrecy and retention, under today's law and under the proposal of SOU 2025:108.</p>
<h2>Browse</h2>
<ul>
<li><a href="/datasets">Datasets</a> (${counts.datasets}) — search and filter by agency, purpose, secrecy, shared concept and regime</li>
<li><a href="/purposes">Purposes</a> (${counts.purposes}) — what each purpose reaches under each regime</li>
<li><a href="/provisions">Provisions</a> (${counts.provisions}) — the law the gate cites</li>
<li><a href="/regimes">Legal regimes</a> (${counts.regimes})</li>
<li><a href="/agencies">Agencies</a> (${counts.agencies})</li>
<li><a href="/concepts">Shared concepts</a> (${counts.concepts})</li>
<li><a href="/dcat-ap-se.rdf">DCAT-AP-SE export</a> (RDF/XML for dataportal.se)</li>
</ul>
<h2>Work with the hub</h2>
<ul>
<li><a href="/register">Absence register</a> — schools report a child's day or a class by CSV; yearly erasure; who may read it</li>
<li><a href="/query">Query the hub</a> — sign in, declare a purpose your role may declare, run or explain a query through the purpose gate</li>
<li><a href="/trail">Audit trail</a> — for those who follow up access: an entry, its purpose, the provisions and their statute text</li>
<li><a href="/quality">Quality</a> and <a href="/interoperability">interoperability</a> reports</li>
<li><a href="/sign-in">Sign in</a> with a bearer token (the demo tokens are in the README)</li>
</ul>
<h2>API</h2>
<p>Every catalog resource is available as JSON-LD (the default), plain JSON, Turtle and HTML, by
<code>Accept</code> header or <code>?format=jsonld|json|ttl|html</code>. Errors are
<code>application/problem+json</code> with a <code>code</code>.</p>
<table>
<caption>Endpoints</caption>
<thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th><th scope="col">Formats</th></tr></thead>
<tbody>
${endpoints.map((e) => html`<tr><td>${e.method}</td><td><code>${e.path}</code></td><td>${e.summary}${e.parameters ? html`<br><span class="muted">${Object.entries(e.parameters).map(([k, v], i) => html`${i > 0 ? '; ' : ''}<code>${k}</code>: ${v}`)}</span>` : ''}</td><td>${(e.formats ?? []).join(', ')}</td></tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Catalog', body });
}

// ---------------------------------------------------------------- datasets

const FACET_LABELS: Record<FacetName, string> = {
  agency: 'Agency', purpose: 'Purpose', secrecy: 'Secrecy', concept: 'Shared concept', regime: 'Regime',
};

function facetSelect(name: FacetName, counts: FacetCount[]): SafeHtml {
  const options = counts.filter((c) => c.count > 0 || c.selected);
  return html`<label for="facet-${name}">${FACET_LABELS[name]}
<select id="facet-${name}" name="${name}">
<option value="">any</option>
${options.map((c) => html`<option value="${c.value}"${c.selected ? raw(' selected') : ''}>${plain(c.label) || c.value} (${c.count})</option>`)}
</select></label>`;
}

export function datasetListPage(result: SearchResult, items: DatasetSummary[], query: string): string {
  const regimes = items[0] ? Object.keys(items[0].purposesByRegime) : [];
  const body = html`
<h1>Datasets</h1>
<form class="facets" method="get" action="/datasets" role="search">
<label for="q">Text <input id="q" type="search" name="q" value="${result.query.text ?? ''}"></label>
${FACET_NAMES.map((f) => facetSelect(f, result.facets[f]))}
<button type="submit">Search</button> <a href="/datasets">Clear</a>
</form>
<p>${items.length} dataset${items.length === 1 ? '' : 's'}.</p>
${formats('/datasets', query)}
<table>
<thead><tr><th scope="col">Dataset</th><th scope="col">Publisher</th>${regimes.map((r) => html`<th scope="col">Purposes: ${r}</th>`)}<th scope="col">Secrecy</th><th scope="col">Personal data</th></tr></thead>
<tbody>
${items.map((ds) => html`<tr>
<td><a href="${ds.href}">${text(ds.title, 'sv')}</a>${ds.title.en && ds.title.sv ? html`<br><span class="en">${ds.title.en}</span>` : ''}<br><code>${ds.id}</code></td>
<td>${agency(ds.publisher)}</td>
${regimes.map((r) => html`<td>${(ds.purposesByRegime[r] ?? []).length}</td>`)}
<td>${inline(ds.secrecy, (s) => secrecyCell(s))}</td>
<td>${ds.containsPersonalData ? 'yes' : 'no'}</td>
</tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Datasets', body, active: '/datasets' });
}

export function datasetPage(ds: DatasetDetail, extra?: SafeHtml): string {
  const body = html`
<p><a href="/datasets">Datasets</a></p>
<h1>${text(ds.title, 'sv')}</h1>
${ds.title.en && ds.title.sv ? html`<p class="en">${ds.title.en}</p>` : ''}
${ds.description.sv ? html`<p lang="sv">${ds.description.sv}</p>` : ''}
${ds.description.en ? html`<p>${ds.description.en}</p>` : ''}
${formats(ds.href)}
<dl>
<dt>Identifier</dt><dd><code>${ds.id}</code></dd>
<dt>IRI</dt><dd><code>${ds.iri}</code></dd>
<dt>Publisher</dt><dd>${agency(ds.publisher)}</dd>
<dt>Controller</dt><dd>${agency(ds.controller)}</dd>
<dt>Personal data</dt><dd>${ds.containsPersonalData ? 'yes' : 'no'}</dd>
${ds.keywords.length ? html`<dt>Keywords</dt><dd lang="sv">${ds.keywords.join(', ')}</dd>` : ''}
${ds.themes.length ? html`<dt>Themes</dt><dd>${ds.themes.map((t) => html`<a href="${t}">${t.replace(/^.*\//, '')}</a> `)}</dd>` : ''}
${ds.sourceSystem ? html`<dt>Source system</dt><dd><code>${ds.sourceSystem}</code></dd>` : ''}
${ds.recordClass ? html`<dt>Record class</dt><dd>${curie(ds.recordClass)}</dd>` : ''}
${ds.file ? html`<dt>Catalog file</dt><dd><code>${ds.file}</code></dd>` : ''}
</dl>

<h2>Purposes by regime</h2>
${ds.regimes.map((r) => html`<h3>${regimeName(r)}</h3>${list(ds.purposesByRegime[r.id] ?? [], (p) => html`${link(p)} <code>${p.id}</code>`, 'no purpose in force under this regime')}`)}

<h2>Legal basis</h2>
${list(ds.legalBasis, (p) => html`${cite(p)}${Object.keys(p.label).length ? html` — ${text(p.label)}` : ''}`)}

<h2>Secrecy</h2>
${list(ds.secrecy, (s) => html`${cite(s)}${s.damageTest ? html`: ${term(s.damageTest)}` : ''}${s.maxYears !== undefined ? html`, at most ${s.maxYears} years` : ''}${s.protectedInterests.length ? html`; protects ${inline(s.protectedInterests, term)}` : ''}${s.breakers.length ? html`; broken by ${inline(s.breakers, cite)}` : ''}${s.notBrokenBy.length ? html`; not broken by ${inline(s.notBrokenBy, cite)}` : ''}`)}

<h2>Retention</h2>
${ds.retention ? html`<p>${text(ds.retention.label)}${ds.retention.kind ? html` (${term(ds.retention.kind)})` : ''}${ds.retention.cycle ? html`, cycle <code>${ds.retention.cycle}</code>` : ''}${ds.retention.provisions.length ? html` — ${inline(ds.retention.provisions, cite)}` : ''}</p>` : html`<p class="muted">none stated</p>`}

${extra}

<h2>Data elements</h2>
<table>
<thead><tr><th scope="col">Element</th><th scope="col">Predicate</th><th scope="col">Datatype</th><th scope="col">Shared concept</th><th scope="col">Protection class</th><th scope="col">Sensitivity</th></tr></thead>
<tbody>
${ds.elements.map((e) => html`<tr>
<td>${bilingual(e.label)}<br><code>${e.id}</code>${e.identifying ? html` <span class="tag">identifying</span>` : ''}${e.required ? html` <span class="tag">required</span>` : ''}</td>
<td>${curie(e.predicate)}</td>
<td>${curie(e.datatype)}${e.unit ? html` (${e.unit})` : ''}</td>
<td>${e.concept ? link(e.concept) : ''}</td>
<td>${term(e.protectionClass)}</td>
<td>${inline(e.sensitivity, term, '')}${e.revealsIndirectly.length ? html`reveals indirectly: ${inline(e.revealsIndirectly, term)}` : ''}</td>
</tr>`)}
</tbody>
</table>

<h2>Named graphs per protection class</h2>
<table>
<thead><tr><th scope="col">Protection class</th><th scope="col">Graph</th><th scope="col">Needs an access rule</th><th scope="col">Elements</th></tr></thead>
<tbody>
${ds.graphs.map((g) => html`<tr><td>${term(g.protectionClass)}</td><td><code>${g.graph}</code></td><td>${g.requiresRule ? 'yes' : 'no'}</td><td>${g.elements.join(', ')}</td></tr>`)}
</tbody>
</table>

<h2>Disclosure channels</h2>
${list(ds.channels, (ch) => html`<code>${ch.id}</code>: ${term(ch.kind)} to ${agency(ch.recipient)}, for ${inline(ch.purposes, link)}; ${inline(ch.provisions, cite)}`)}

<h2>Source datasets</h2>
${list(ds.sourceDatasets, link)}
${ds.feeds.length ? html`<h2>Datasets that receive data from this one</h2>${list(ds.feeds, link)}` : ''}
${ds.writers.length ? html`<h2>Roles that may write records</h2>${list(ds.writers, link)}` : ''}`;
  return layout({ title: plain(ds.title, 'sv'), body, active: '/datasets' });
}

// ---------------------------------------------------------------- purposes

export function purposeListPage(items: PurposeSummary[]): string {
  const body = html`
<h1>Purposes</h1>
<p>A purpose (<span lang="sv">ändamål</span>) is what a principal declares when asking for data. Each is grounded in a provision and in force under one or more legal regimes.</p>
${formats('/purposes')}
<table>
<thead><tr><th scope="col">Purpose</th><th scope="col">Kind</th><th scope="col">Grounded in</th><th scope="col">In force under</th><th scope="col">Datasets</th></tr></thead>
<tbody>
${items.map((p) => html`<tr><td><a href="${p.href}">${text(p.label, 'sv')}</a><br><code>${p.id}</code></td><td>${inline(p.kinds, term)}</td><td>${inline(p.groundedIn, cite)}</td><td>${inline(p.regimes, regimeName)}</td><td>${p.datasetCount}</td></tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Purposes', body, active: '/purposes' });
}

function ruleItem(rule: RuleView): SafeHtml {
  return html`<code>${rule.id}</code> (${rule.kind} rule${rule.regime ? html`, ${link(rule.regime)}` : ''}): ${inline(rule.protectionClasses, term)}${rule.controllerOnly ? ', controller only' : ''}${rule.requiresDatasetPurpose.length ? html`; the dataset must also serve ${inline(rule.requiresDatasetPurpose, link)}` : ''} — ${inline(rule.provisions, cite)}${Object.keys(rule.comment).length ? html`<br><span class="muted">${text(rule.comment)}</span>` : ''}`;
}

export function purposePage(p: PurposeDetail, comparison?: SafeHtml): string {
  const body = html`
<p><a href="/purposes">Purposes</a></p>
<h1>${text(p.label, 'sv')}</h1>
${p.label.en && p.label.sv ? html`<p class="en">${p.label.en}</p>` : ''}
${Object.keys(p.description).length ? html`<p>${text(p.description)}</p>` : ''}
${formats(p.href)}
<dl>
<dt>Identifier</dt><dd><code>${p.id}</code></dd>
<dt>Kind</dt><dd>${inline(p.kinds, term)}</dd>
<dt>Grounded in</dt><dd>${inline(p.groundedIn, cite)}</dd>
<dt>In force under</dt><dd>${inline(p.regimes, regimeName, 'no regime')}</dd>
</dl>
${comparison}
<h2>Datasets reached under each regime</h2>
${p.reach.map((r) => html`<h3>${regimeName(r.regime)}</h3>
<p>${r.inForce ? 'In force.' : html`<strong>Not in force</strong> under this regime: the purpose reaches no dataset.`}</p>
${r.inForce ? list(r.datasets, link, 'no dataset lists this purpose') : ''}`)}
<h2>Differences between the regimes</h2>
${p.differences.length === 0 ? html`<p>The purpose reaches the same datasets under every regime.</p>` : p.differences.map((d) => html`<h3>Reached under <code>${d.reachedUnder}</code> but not under <code>${d.notUnder}</code></h3>${list(d.datasets, link)}`)}
<h2>Roles that may declare it</h2>
${list(p.roles, (r) => html`${text(r.label)}${r.agency ? html` (${agency(r.agency)})` : ''} <code>${r.id}</code>`)}
<h2>Access and selection rules permitting it</h2>
${list(p.rules, ruleItem)}
<h2>Disclosure channels serving it</h2>
${list(p.channels, (ch) => html`<code>${ch.id}</code>: ${link(ch.dataset)}${ch.recipient ? html` to ${agency(ch.recipient)}` : ''}`)}`;
  return layout({ title: plain(p.label, 'sv'), body, active: '/purposes' });
}

// ---------------------------------------------------------------- provisions

export function provisionListPage(items: ProvisionSummary[]): string {
  const body = html`
<h1>Provisions</h1>
<p>Statutes, provisions and the proposals of SOU 2025:108, cited as they stand in the consolidated text.</p>
${formats('/provisions')}
<table>
<thead><tr><th scope="col">Citation</th><th scope="col">Title</th><th scope="col">SFS</th><th scope="col">Regimes</th><th scope="col">Damage test</th></tr></thead>
<tbody>
${items.map((p) => html`<tr><td><a href="${p.href}">${p.citation}</a>${p.proposed ? html` <span class="tag">proposed</span>` : ''}</td><td>${text(p.label, 'sv')}</td><td>${p.sfsNumber ?? p.proposedIn ?? ''}</td><td>${inline(p.regimes, link)}</td><td>${term(p.damageTest)}</td></tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Provisions', body, active: '/provisions' });
}

export function provisionPage(p: ProvisionDetail): string {
  const c = p.citedBy;
  const body = html`
<p><a href="/provisions">Provisions</a></p>
<h1>${p.citation}</h1>
${Object.keys(p.label).length ? html`<p>${bilingual(p.label)}</p>` : ''}
${formats(p.href)}
<dl>
<dt>Identifier</dt><dd><code>${p.id}</code></dd>
${p.statute ? html`<dt>Statute</dt><dd>${cite(p.statute)}</dd>` : ''}
${p.sfsNumber ? html`<dt>SFS</dt><dd>${p.sfsNumber}</dd>` : ''}
${p.chapter ? html`<dt>Chapter</dt><dd>${p.chapter}</dd>` : ''}
${p.section ? html`<dt>Section</dt><dd>${p.section}</dd>` : ''}
${p.point ? html`<dt>Point</dt><dd>${p.point}</dd>` : ''}
${p.amendedBy ? html`<dt>Wording as amended by</dt><dd>SFS ${p.amendedBy}</dd>` : ''}
${p.inForceFrom ? html`<dt>In force from</dt><dd>${p.inForceFrom}</dd>` : ''}
${p.proposedIn ? html`<dt>Proposed in</dt><dd>${p.proposedIn} (not enacted)</dd>` : ''}
${p.partOf ? html`<dt>Part of</dt><dd>${cite(p.partOf)}</dd>` : ''}
<dt>Regimes</dt><dd>${inline(p.regimes, regimeName)}</dd>
${p.links.length ? html`<dt>Statute online</dt><dd>${p.links.map((l) => html`<a href="${l}">${l}</a> `)}</dd>` : ''}
${p.sources.length ? html`<dt>Source</dt><dd>${p.sources.join('; ')}</dd>` : ''}
</dl>
${Object.keys(p.description).length ? html`<h2>Paraphrase</h2><p>${text(p.description)}</p>` : ''}
${p.statuteText.sv || p.statuteText.en ? html`<h2>Statute text</h2><blockquote${p.statuteText.sv ? raw(' lang="sv"') : ''}>${p.statuteText.sv ?? p.statuteText.en}</blockquote>` : ''}
${p.secrecy ? html`<h2>Secrecy</h2><dl>
<dt>Damage test</dt><dd>${term(p.secrecy.damageTest)}</dd>
${p.secrecy.maxYears !== undefined ? html`<dt>Secret for at most</dt><dd>${p.secrecy.maxYears} years</dd>` : ''}
<dt>Protected interests</dt><dd>${inline(p.secrecy.protectedInterests, term)}</dd>
<dt>Broken by</dt><dd>${inline(p.secrecy.breakers, cite)}</dd>
${p.secrecy.notBrokenBy.length ? html`<dt>Not broken by</dt><dd>${inline(p.secrecy.notBrokenBy, cite)}</dd>` : ''}
</dl>` : ''}
${p.parts.length ? html`<h2>Parts</h2>${list(p.parts, cite)}` : ''}
<h2>Cited by</h2>
<h3>Datasets (legal basis)</h3>${list(c.datasetsLegalBasis, link)}
<h3>Datasets (secrecy)</h3>${list(c.datasetsSecrecy, link)}
<h3>Purposes</h3>${list(c.purposes, link)}
<h3>Access and selection rules</h3>${list(c.rules, ruleItem)}
<h3>Disclosure channels</h3>${list(c.channels, (ch) => html`<code>${ch.id}</code> of ${link(ch.dataset)}`)}
<h3>Retention rules</h3>${list(c.retentionRules, (r) => html`${text(r.label)} <code>${r.id}</code>`)}
${c.elements.length ? html`<h3>Data elements</h3>${list(c.elements, (e) => html`${text(e.label)} of ${link(e.dataset)}`)}` : ''}
${c.breaks.length ? html`<h3>Secrecy provisions it breaks</h3>${list(c.breaks, cite)}` : ''}`;
  return layout({ title: p.citation, body, active: '/provisions' });
}

// ---------------------------------------------------------------- regimes, agencies, concepts

export function regimeListPage(items: RegimeView[]): string {
  const body = html`
<h1>Legal regimes</h1>
<p>The same request can be decided under today's law and under the SOU 2025:108 proposal, side by side.</p>
${formats('/regimes')}
${items.map((r) => html`<section><h2><a href="${r.href}">${text(r.label)}</a>${r.isProposal ? html` <span class="tag">proposal</span>` : ''}</h2>
<p>${text(r.description)}</p>
<p>${r.purposes.length} purposes in force; ${r.datasetCount} datasets serve at least one of them.${r.validFrom ? html` Valid from ${r.validFrom}.` : ''}</p></section>`)}`;
  return layout({ title: 'Legal regimes', body });
}

export function regimePage(r: RegimeView): string {
  const body = html`
<p><a href="/regimes">Legal regimes</a></p>
<h1>${text(r.label)}</h1>
${r.label.sv ? html`<p lang="sv">${r.label.sv}</p>` : ''}
<p>${text(r.description)}</p>
${formats(r.href)}
<dl>
<dt>Identifier</dt><dd><code>${r.id}</code></dd>
<dt>Enacted</dt><dd>${r.isProposal ? 'no — a proposal' : 'yes'}</dd>
${r.validFrom ? html`<dt>Valid from</dt><dd>${r.validFrom}</dd>` : ''}
${r.validUntil ? html`<dt>Valid until</dt><dd>${r.validUntil}</dd>` : ''}
${r.source ? html`<dt>Source</dt><dd>${r.source}</dd>` : ''}
</dl>
<h2>Purposes in force</h2>${list(r.purposes, (p) => html`${link(p)} <code>${p.id}</code>`)}
<p><a href="/datasets?regime=${r.id}">${r.datasetCount} datasets</a> serve at least one of them.</p>`;
  return layout({ title: plain(r.label), body });
}

export function agencyListPage(items: AgencyView[]): string {
  const body = html`
<h1>Agencies</h1>
${formats('/agencies')}
<table>
<thead><tr><th scope="col">Agency</th><th scope="col">Organisation number</th><th scope="col">Publishes</th><th scope="col">Controls</th></tr></thead>
<tbody>
${items.map((a) => html`<tr><td><a href="${a.href}">${text(a.label, 'sv')}</a><br><code>${a.id}</code></td><td>${a.orgNumber ?? ''}</td><td><a href="/datasets?agency=${a.id}">${a.published.length}</a></td><td>${a.controlled.length}</td></tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Agencies', body });
}

export function agencyPage(a: AgencyView): string {
  const body = html`
<p><a href="/agencies">Agencies</a></p>
<h1>${text(a.label, 'sv')}</h1>
${a.label.en ? html`<p class="en">${a.label.en}</p>` : ''}
${formats(a.href)}
<dl>
<dt>Identifier</dt><dd><code>${a.id}</code></dd>
${a.orgNumber ? html`<dt>Organisation number</dt><dd>${a.orgNumber}</dd>` : ''}
${a.homepage ? html`<dt>Homepage</dt><dd><a href="${a.homepage}">${a.homepage}</a></dd>` : ''}
${a.dataportalPublisher ? html`<dt>dataportal.se publisher</dt><dd><code>${a.dataportalPublisher}</code></dd>` : ''}
</dl>
<h2>Publishes</h2>${list(a.published, link)}
<h2>Controls</h2>${list(a.controlled, link)}
<h2>Receives data from</h2>${list(a.receives, link)}`;
  return layout({ title: plain(a.label, 'sv'), body });
}

export function conceptListPage(items: Omit<ConceptView, 'elements'>[]): string {
  const body = html`
<h1>Shared concepts</h1>
<p>Data elements of different datasets mapped to the same concept are interoperable.</p>
${formats('/concepts')}
<table>
<thead><tr><th scope="col">Concept</th><th scope="col">Datatype</th><th scope="col">Identifying</th><th scope="col">Datasets</th></tr></thead>
<tbody>
${items.map((c) => html`<tr><td><a href="${c.href}">${text(c.label, 'sv')}</a><br><code>${c.id}</code></td><td>${curie(c.datatype)}${c.unit ? html` (${c.unit})` : ''}</td><td>${c.identifying ? 'yes' : ''}</td><td><a href="/datasets?concept=${c.id}">${c.datasetCount}</a></td></tr>`)}
</tbody>
</table>`;
  return layout({ title: 'Shared concepts', body });
}

export function conceptPage(c: ConceptView): string {
  const body = html`
<p><a href="/concepts">Shared concepts</a></p>
<h1>${text(c.label, 'sv')}</h1>
${c.label.en && c.label.sv ? html`<p class="en">${c.label.en}</p>` : ''}
${Object.keys(c.definition).length ? html`<p>${text(c.definition)}</p>` : ''}
${formats(c.href)}
<dl>
<dt>Identifier</dt><dd><code>${c.id}</code></dd>
${c.datatype ? html`<dt>Datatype</dt><dd>${curie(c.datatype)}</dd>` : ''}
${c.unit ? html`<dt>Unit</dt><dd>${c.unit}</dd>` : ''}
${c.pattern ? html`<dt>Pattern</dt><dd><code>${c.pattern}</code></dd>` : ''}
<dt>Identifying (joins datasets)</dt><dd>${c.identifying ? 'yes' : 'no'}</dd>
</dl>
<h2>Elements mapped to it</h2>
<table>
<thead><tr><th scope="col">Dataset</th><th scope="col">Element</th><th scope="col">Datatype</th></tr></thead>
<tbody>
${c.elements.map((e) => html`<tr><td>${link(e.dataset)}</td><td>${text(e.label)} <code>${e.id}</code></td><td>${curie(e.datatype)}${e.unit ? html` (${e.unit})` : ''}</td></tr>`)}
</tbody>
</table>`;
  return layout({ title: plain(c.label, 'sv'), body });
}
