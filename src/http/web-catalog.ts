/**
 * What the web interface adds to the catalog pages (catalog-pages.ts): on a dataset page
 * the provisions it rests on with an excerpt of their statute text, its mappings, its
 * quality and interoperability figures; on a purpose page the regimes side by side with
 * the differences marked.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Dataset, Provision } from '../catalog/model.ts';
import type { PurposeDetail, Ref } from '../catalog/views.ts';
import { ingestEngine } from '../ingest/pipeline.ts';
import { buildQualityReport } from '../quality/report.ts';
import type { QualityLogContents } from '../quality/types.ts';
import { html, raw, text, type SafeHtml } from './html.ts';

const EXCERPT = 420;

function excerptOf(value: string): string {
  return value.length <= EXCERPT ? value : `${value.slice(0, value.lastIndexOf(' ', EXCERPT))} …`;
}

function provisionItem(p: Provision, role: string): SafeHtml {
  const statute = p.statuteText.sv ?? p.statuteText.en;
  return html`<li><strong><a href="/provisions/${p.id}">${p.citation}</a></strong> <span class="tag">${role}</span>${p.proposed ? html` <span class="tag">proposal</span>` : ''}${p.secrecy?.damageTest ? html` <span class="tag">damage test: ${p.secrecy.damageTest.replace(/^.*#/, '')}</span>` : ''}
${statute ? html`<blockquote${p.statuteText.sv ? raw(' lang="sv"') : ''}>${excerptOf(statute)}</blockquote>` : Object.keys(p.description).length ? html`<p class="muted">${text(p.description)}</p>` : ''}</li>`;
}

/** Sections for a dataset page: provisions with statute text, mappings, quality and interoperability. */
export function datasetExtras(catalog: Catalog, ds: Dataset, quality?: QualityLogContents): SafeHtml {
  const seen = new Set<string>();
  const items: SafeHtml[] = [];
  const add = (iris: string[], role: string): void => {
    for (const iri of iris) {
      const p = catalog.provisions.get(iri);
      if (!p || seen.has(iri)) continue;
      seen.add(iri);
      items.push(provisionItem(p, role));
    }
  };
  add(ds.legalBasis, 'legal basis');
  add(ds.secrecy, 'secrecy');
  add(ds.retention ? (catalog.retentionRules.get(ds.retention)?.provisions ?? []) : [], 'retention');
  add(ds.channels.flatMap((ch) => ch.provisions), 'disclosure');
  add(ds.purposes.flatMap((p) => catalog.purposes.get(p)?.groundedIn ?? []), 'purpose');

  let systems: string[] = [];
  let files = new Map<string, string>();
  try {
    const registry = ingestEngine(catalog).mappings;
    systems = registry.systemsFor(ds);
    files = new Map([...registry.mappings.values()].map((m) => [m.spec.sourceSystem, m.file]));
  } catch {
    // a broken mapping folder is reported by the ingest path; the page still renders
  }
  const mapped = ds.elements.filter((e) => e.concept).length;
  const share = ds.elements.length ? Math.round((100 * mapped) / ds.elements.length) : 0;
  const q = quality ? buildQualityReport(quality, catalog, { dataset: ds.id }) : undefined;
  const rows = q?.datasets.filter((d) => d.datasetId === ds.id) ?? [];

  return html`
<h2>Provisions, with the statute text</h2>
<ul class="provisions">${items}</ul>

<h2>Mappings</h2>
${systems.length ? html`<ul>${systems.map((s) => html`<li><code>${s}</code>${files.get(s) ? html` — <code>${files.get(s)}</code>` : ''}</li>`)}</ul>` : html`<p class="muted">No source-system mapping; records come in the canonical layout (field names = the element identifiers above).</p>`}

<h2>Quality and interoperability</h2>
<dl>
<dt>Elements mapped to shared concepts</dt><dd><strong>${share} %</strong> (${mapped} of ${ds.elements.length}) — <a href="/interoperability?dataset=${ds.id}">interoperability report</a></dd>
<dt>Ingested records</dt><dd>${rows.length ? rows.map((r) => html`<code>${r.sourceSystem}</code>: ${r.records} records in ${r.ingests} ingests, ${Math.round(r.share * 1000) / 10} % with a violation; `) : html`<span class="muted">none yet</span> `}— <a href="/quality?dataset=${ds.id}">quality report</a></dd>
</dl>`;
}

/** The purpose's reach under each regime in one table: a row per dataset, a column per regime, differences marked. */
export function purposeComparison(p: PurposeDetail): SafeHtml {
  const all = new Map<string, Ref>();
  for (const r of p.reach) for (const d of r.datasets) all.set(d.iri, d);
  const rows = [...all.values()].sort((a, b) => a.id.localeCompare(b.id));
  const reached = (regime: number, iri: string): boolean => !!p.reach[regime]?.inForce && p.reach[regime]!.datasets.some((d) => d.iri === iri);
  return html`<h2>Today's law and the proposal, side by side</h2>
<table class="comparison">
<caption>Datasets the purpose reaches; rows that differ between the regimes are marked.</caption>
<thead><tr><th scope="col">Dataset</th>${p.reach.map((r) => html`<th scope="col">${text(r.regime.label)}${r.regime.isProposal ? html` <span class="tag">proposal</span>` : ''}${r.inForce ? '' : html`<br><span class="muted">purpose not in force</span>`}</th>`)}<th scope="col">Differs</th></tr></thead>
<tbody>
${rows.map((d) => {
    const cells = p.reach.map((_, i) => reached(i, d.iri));
    const differs = new Set(cells).size > 1;
    return html`<tr${differs ? raw(' class="differs"') : ''}><th scope="row"><a href="${d.href ?? '#'}">${text(d.label)}</a> <code>${d.id}</code></th>${cells.map((c) => html`<td class="${c ? (differs ? 'diff-added' : '') : differs ? 'diff-removed' : ''}">${c ? '✓ reached' : '— not reached'}</td>`)}<td>${differs ? html`<strong>differs</strong>` : ''}</td></tr>`;
  })}
</tbody></table>
${rows.length === 0 ? html`<p class="muted">No dataset lists this purpose under any regime.</p>` : ''}`;
}
