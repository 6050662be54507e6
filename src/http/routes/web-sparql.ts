/**
 * The web interface's query page and the lawyers' trail, both on the gate's own endpoints:
 * the page calls /sparql, /sparql/explain and /audit of this hub with the signed-in
 * principal's token, so what a person sees in the browser is exactly what the gate decided
 * and audited for them — no second path to the data.
 *
 *   GET  /query                a signed-in principal picks a purpose its role may declare,
 *   POST /query                a regime, writes a query, and runs or explains it; a refusal
 *                              shows its reasons with the provisions, linked
 *   GET  /trail                the audit trail (supervision purposes only, as /audit)
 *   GET  /trail/entries/{seq}  one entry → its purpose → its provisions → their statute text
 */
import express, { type Request } from 'express';
import type { Catalog } from '../../catalog/catalog.ts';
import type { Principal, Purpose } from '../../catalog/model.ts';
import { DatalyftError } from '../../errors.ts';
import { dl, PREFIXES } from '../../rdf/namespaces.ts';
import type { RouteModule } from '../app.ts';
import type { AppDeps } from '../deps.ts';
import { describeEndpoints } from '../endpoints.ts';
import { html, raw, text, type SafeHtml } from '../html.ts';
import { checkCsrf, csrfField, errorSummary, sessionBar, sessionOf, sessionToken, webPage, type WebSession } from './web-session.ts';

const EXAMPLE = `SELECT ?barn ?datum ?status WHERE {
  ?r dlt:barn ?barn ;
     dlt:frregDatum ?datum ;
     dlt:frregNarvarostatus ?status .
} ORDER BY ?datum LIMIT 20`;

/** Calls an endpoint of this same hub on the signed-in principal's behalf. */
async function callSelf(req: Request, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; type: string; body: string }> {
  const raw = req.socket.localAddress ?? '127.0.0.1';
  const address = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  const host = address.includes(':') ? `[${address}]` : address;
  const res = await fetch(`http://${host}:${req.socket.localPort}${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** An IRI or compact IRI (dlpr:x) → its short id, for links to the catalog pages. */
function idOf(value: string | undefined): string {
  if (!value) return '';
  for (const [prefix, base] of Object.entries(PREFIXES)) {
    if (value.startsWith(`${prefix}:`)) return value.slice(prefix.length + 1);
    if (value.startsWith(base)) return value.slice(base.length);
  }
  return value.replace(/^.*[/#]/, '');
}

function provisionLink(catalog: Catalog, provision: string | undefined, citation?: string): SafeHtml {
  if (!provision) return html`${citation ?? ''}`;
  const iri = catalog.resolve('provision', idOf(provision)) ?? catalog.resolve('provision', provision);
  const p = iri ? catalog.provisions.get(iri) : undefined;
  return p ? html`<a href="/provisions/${p.id}">${citation ?? p.citation}</a>` : html`${citation ?? provision}`;
}

function purposeLink(catalog: Catalog, purpose: string | undefined): SafeHtml {
  if (!purpose) return html`<span class="muted">none</span>`;
  const iri = catalog.resolve('purpose', idOf(purpose)) ?? catalog.resolve('purpose', purpose);
  const p = iri ? catalog.purposes.get(iri) : undefined;
  return p ? html`<a href="/purposes/${p.id}">${text(p.label)}</a> <code>${p.id}</code>` : html`<code>${purpose}</code>`;
}

function declarable(catalog: Catalog, principal: Principal): Purpose[] {
  const role = principal.role ? catalog.roles.get(principal.role) : undefined;
  return (role?.mayDeclare ?? []).map((p) => catalog.purposes.get(p)).filter((p): p is Purpose => !!p);
}

// ------------------------------------------------------------------ rendering the gate's answers

interface ReasonLike {
  code?: string;
  outcome?: string;
  message?: string;
  reason?: string;
  provision?: string;
  citation?: string;
  dataset?: string;
  datasetId?: string;
}

function reasonsTable(catalog: Catalog, reasons: ReasonLike[], caption: string): SafeHtml {
  if (reasons.length === 0) return html``;
  return html`<table class="reasons"><caption>${caption}</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col">Code</th><th scope="col">Why</th><th scope="col">Provision</th></tr></thead>
<tbody>${reasons.map((r) => html`<tr${r.outcome === 'deny' ? raw(' class="diff-removed"') : ''}><td>${r.outcome ?? 'deny'}</td><td><code>${r.code ?? ''}</code></td><td>${r.message ?? r.reason ?? ''}</td><td>${provisionLink(catalog, r.provision, r.citation)}</td></tr>`)}</tbody></table>`;
}

function resultsTable(json: { head?: { vars?: string[] }; results?: { bindings?: Record<string, { value: string }>[] }; boolean?: boolean }): SafeHtml {
  if (typeof json.boolean === 'boolean') return html`<p>Answer: <strong>${String(json.boolean)}</strong></p>`;
  const vars = json.head?.vars ?? [];
  const rows = json.results?.bindings ?? [];
  return html`<p id="result-count">${rows.length} row${rows.length === 1 ? '' : 's'}.</p>
<table id="results"><thead><tr>${vars.map((v) => html`<th scope="col">${v}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${vars.map((v) => html`<td>${row[v]?.value ?? ''}</td>`)}</tr>`)}</tbody></table>`;
}

interface DecisionJson {
  allow: boolean;
  code?: string;
  status?: number;
  reasons: ReasonLike[];
  datasets?: { dataset: string; allowed: boolean; reasons: ReasonLike[]; classes: { protectionClass: string; allowed: boolean; reasons: ReasonLike[] }[] }[];
  graphs: string[];
}

function decisionSection(catalog: Catalog, regimeId: string, d: DecisionJson): SafeHtml {
  const reasons = [...d.reasons, ...(d.datasets ?? []).flatMap((x) => [...x.reasons, ...x.classes.flatMap((c) => c.reasons)])];
  const seen = new Set<string>();
  const unique = reasons.filter((r) => {
    const key = `${r.code}|${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const regime = catalog.regimes.get(catalog.resolve('regime', regimeId) ?? '');
  return html`<section class="decision"><h3>${regime ? text(regime.label) : regimeId}: ${d.allow ? html`<span class="tag diff-added">allowed</span>` : html`<span class="tag diff-removed">refused</span> <code>${d.code ?? ''}</code>`}</h3>
${reasonsTable(catalog, unique.filter((r) => r.outcome === 'deny' || !d.allow || r.code !== 'dataset-lists-purpose'), 'Reasons')}
<p>${d.graphs.length} named graph${d.graphs.length === 1 ? '' : 's'} reachable.</p></section>`;
}

// ------------------------------------------------------------------ pages

interface QueryForm {
  query: string;
  purpose: string;
  regime: string;
}

function queryPage(catalog: Catalog, deps: AppDeps, session: WebSession | undefined, form: QueryForm, outcome?: SafeHtml, error?: string): string {
  const purposes = session ? declarable(catalog, session.principal) : [];
  const regimes = [...catalog.regimes.values()].sort((a, b) => Number(a.isProposal) - Number(b.isProposal));
  const body = html`
${error ? errorSummary([{ id: 'q-purpose', message: error }]) : ''}
${sessionBar(session, '/query')}
<h1>Query the hub</h1>
<p>Runs through the purpose gate (<code>/sparql</code>) as the signed-in principal: declare a purpose your role may declare, choose the law to decide under,
and run the query or only ask the gate to explain what it would decide. Every run is audited. Queries on the public catalog need no purpose: use the catalog pages or <a href="/sparql">/sparql</a>.</p>
${session ? html`<form method="post" action="/query" novalidate>
${csrfField(session)}
<div class="field${error ? ' field-error' : ''}">
<label for="q-purpose">Purpose</label>
<span class="hint" id="q-purpose-hint">The purposes your role (${session.principal.role ? text(catalog.roles.get(session.principal.role)?.label) : 'none'}) may declare.</span>
${error ? html`<p class="error-message" id="q-purpose-error"><span class="visually-hidden">Error:</span> ${error}</p>` : ''}
<select id="q-purpose" name="purpose" aria-describedby="q-purpose-hint${error ? ' q-purpose-error' : ''}">
${purposes.map((p) => html`<option value="${p.id}"${form.purpose === p.id ? raw(' selected') : ''}>${text(p.label)} (${p.id})</option>`)}
</select>
</div>
<div class="field">
<label for="q-regime">Decide under</label>
<select id="q-regime" name="regime">
${regimes.map((r) => html`<option value="${r.id}"${form.regime === r.id ? raw(' selected') : ''}>${text(r.label)}</option>`)}
<option value="both"${form.regime === 'both' ? raw(' selected') : ''}>Both, side by side (explain only)</option>
</select>
</div>
<div class="field">
<label for="q-query">Query (SPARQL; prefixes dl, dlt, dct, dcat … are known)</label>
<textarea id="q-query" name="query" rows="9" cols="80" spellcheck="false">${form.query}</textarea>
</div>
<button type="submit" name="action" value="run">Run</button>
<button type="submit" name="action" value="explain">Explain</button>
</form>` : html`<p><a href="/sign-in?next=%2Fquery">Sign in</a> to declare a purpose and query record data.</p>`}
${outcome ? html`<section id="outcome" aria-live="polite">${outcome}</section>` : ''}`;
  return webPage({ title: 'Query the hub', body, active: '/query', error: !!error });
}

function refusalHtml(catalog: Catalog, problem: Record<string, unknown>, canReadTrail: boolean): SafeHtml {
  const refused = Array.isArray(problem.refused) ? (problem.refused as ReasonLike[]) : [];
  const entry = problem.auditEntry;
  return html`<div class="refusal" role="alert">
<h2>Refused: <code id="refusal-code">${String(problem.code ?? '')}</code> (${String(problem.status ?? '')})</h2>
<p id="refusal-detail">${String(problem.detail ?? '')}</p>
${reasonsTable(catalog, refused.length ? refused.map((r) => ({ ...r, outcome: 'deny' })) : problem.provision ? [{ code: String(problem.code), outcome: 'deny', message: String(problem.detail ?? ''), provision: String(problem.provision) }] : [], 'Why, and the provisions behind it')}
${entry !== undefined ? html`<p>Recorded as audit entry ${canReadTrail ? html`<a href="/trail/entries/${String(entry)}">${String(entry)}</a>` : html`<strong>${String(entry)}</strong>`}.</p>` : ''}
</div>`;
}

function supervisionPurpose(catalog: Catalog, principal: Principal): Purpose | undefined {
  return declarable(catalog, principal).find((p) => p.kinds.includes(dl.SupervisionKind));
}

interface TrailEntry {
  id: string;
  auditSeq?: string;
  startedAtTime?: string;
  wasAssociatedWith?: string;
  agency?: string;
  role?: string;
  purpose?: string[] | string;
  regime?: string;
  decision?: string;
  decisionCode?: string;
  queryText?: string;
  used?: string[] | string;
  transactionId?: string;
  entryHash?: string;
  previousHash?: string;
  reason?: { comment?: string; citation?: string; outcome?: string; provision?: string[] | string; reasonCode?: string }[];
  [key: string]: unknown;
}

const many = (v: string[] | string | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function readTrail(req: Request, deps: AppDeps, session: WebSession, query = ''): Promise<{ entries: TrailEntry[] } | { error: DatalyftError }> {
  const purpose = supervisionPurpose(deps.catalog, session.principal);
  if (!purpose) {
    return { error: new DatalyftError('audit-not-permitted', `Your role may declare no supervision purpose; the audit trail is read only to check and follow up access (SFB 114 kap. 13 §).`, { status: 403 }) };
  }
  const answer = await callSelf(req, `/audit${query}`, { headers: { accept: 'application/json', authorization: `Bearer ${sessionToken(req) ?? ''}`, 'datalyft-purpose': purpose.id } });
  const json = JSON.parse(answer.body) as { '@graph'?: TrailEntry[]; code?: string; detail?: string; status?: number };
  if (answer.status !== 200) return { error: new DatalyftError(json.code ?? 'audit-error', json.detail ?? 'The audit trail could not be read.', { status: answer.status }) };
  return { entries: json['@graph'] ?? [] };
}

function trailPage(catalog: Catalog, session: WebSession, entries: TrailEntry[]): string {
  const body = html`
${sessionBar(session, '/trail')}
<h1>Audit trail</h1>
<p>Every decision of the gate, newest first, as the hash-chained audit trail records it. Follow an entry to the purpose declared,
the provisions the decision relied on and their statute text. Reading the trail is itself recorded.</p>
<table id="trail"><thead><tr><th scope="col">Entry</th><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Purpose</th><th scope="col">Decision</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td><a href="/trail/entries/${e.auditSeq ?? idOf(e.id)}">${e.auditSeq ?? idOf(e.id)}</a></td><td>${e.startedAtTime ?? ''}</td><td><code>${idOf(e.wasAssociatedWith)}</code></td><td>${many(e.purpose).map((p) => purposeLink(catalog, p))}</td><td>${e.decision ?? ''}${e.decisionCode ? html` <code>${e.decisionCode}</code>` : ''}</td></tr>`)}</tbody></table>`;
  return webPage({ title: 'Audit trail', body, active: '/trail' });
}

function provisionSection(catalog: Catalog, p: Catalog['provisions'] extends Map<string, infer P> ? P : never): SafeHtml {
  return html`<section class="provision"><h3><a href="/provisions/${p.id}">${p.citation}</a></h3>
${p.statuteText.sv || p.statuteText.en ? html`<blockquote${p.statuteText.sv ? raw(' lang="sv"') : ''}>${excerpt(p.statuteText.sv ?? p.statuteText.en ?? '')}</blockquote>` : html`<p>${text(p.description)}${p.proposed ? html` <span class="tag">proposal, no enacted text</span>` : ''}</p>`}</section>`;
}

function entryPage(catalog: Catalog, session: WebSession, e: TrailEntry): string {
  const reasons = (e.reason ?? []).map((r) => ({ code: r.reasonCode, outcome: r.outcome, message: r.comment, provision: many(r.provision)[0], citation: r.citation }));
  const deciding = e.decision === 'deny' ? reasons.filter((r) => r.outcome === 'deny') : reasons.filter((r) => r.code === 'role-holds-purpose' || r.outcome === 'deny');
  const others = reasons.filter((r) => !deciding.includes(r));
  const provisionsOf = (list: typeof reasons) => [...new Set(list.map((r) => r.provision).filter((p): p is string => !!p))]
    .map((p) => catalog.provisions.get(catalog.resolve('provision', idOf(p)) ?? ''))
    .filter((p): p is NonNullable<typeof p> => !!p);
  const decidingProvisions = provisionsOf(deciding);
  const otherProvisions = provisionsOf(others).filter((p) => !decidingProvisions.includes(p));
  const body = html`
${sessionBar(session, '/trail')}
<p><a href="/trail">Audit trail</a></p>
<h1>Audit entry ${e.auditSeq ?? idOf(e.id)}</h1>
<dl>
<dt>Time</dt><dd>${e.startedAtTime ?? ''}</dd>
<dt>Principal</dt><dd><code>${idOf(e.wasAssociatedWith)}</code>${e.role ? html`, role <code>${idOf(e.role)}</code>` : ''}${e.agency ? html`, ${catalog.label(catalog.resolve('agency', idOf(e.agency)) ?? '')}` : ''}</dd>
<dt>Purpose declared</dt><dd id="entry-purpose">${many(e.purpose).length ? many(e.purpose).map((p) => purposeLink(catalog, p)) : html`<span class="muted">none</span>`}</dd>
<dt>Regime</dt><dd>${e.regime ? html`<a href="/regimes/${idOf(e.regime)}">${idOf(e.regime)}</a>` : '—'}</dd>
<dt>Decision</dt><dd>${e.decision ?? '—'}${e.decisionCode ? html` <code>${e.decisionCode}</code>` : ''}</dd>
${e.transactionId ? html`<dt>Transaction</dt><dd><code>${e.transactionId}</code></dd>` : ''}
${e.queryText ? html`<dt>Query</dt><dd><pre><code>${e.queryText}</code></pre></dd>` : ''}
<dt>Hash (previous → this)</dt><dd><code>${e.previousHash ?? ''}</code> → <code>${e.entryHash ?? ''}</code></dd>
</dl>
${reasonsTable(catalog, deciding, 'The deciding reasons')}
${others.length ? html`<details><summary>${others.length} further reasons recorded</summary>${reasonsTable(catalog, others, 'Further reasons')}</details>` : ''}
<h2>The deciding provisions, with their text</h2>
${decidingProvisions.length === 0 ? html`<p class="muted">none recorded</p>` : decidingProvisions.map((p) => provisionSection(catalog, p))}
${otherProvisions.length ? html`<details><summary>${otherProvisions.length} further provisions relied on</summary>${otherProvisions.map((p) => provisionSection(catalog, p))}</details>` : ''}`;
  return webPage({ title: `Audit entry ${e.auditSeq ?? ''}`, body, active: '/trail' });
}

export function excerpt(value: string, max = 600): string {
  return value.length <= max ? value : `${value.slice(0, value.lastIndexOf(' ', max))} …`;
}

// ------------------------------------------------------------------ routes

export const registerWebQueryRoutes: RouteModule = (app, deps) => {
  const { catalog } = deps;
  describeEndpoints(app, [
    { method: 'GET', path: '/query', summary: 'Query page: a signed-in principal picks a purpose, runs or explains a query through the gate', formats: ['text/html'] },
    { method: 'GET', path: '/trail', summary: 'The lawyers\' trail: audit entries → purpose → provisions → statute text (supervision purposes only)', formats: ['text/html'] },
    { method: 'GET', path: '/trail/entries/{seq}', summary: 'One audit entry with its purpose, reasons, provisions and their statute text', formats: ['text/html'] },
  ]);
  const form = express.urlencoded({ extended: false, limit: deps.config.bodyLimitBytes, parameterLimit: 20 });
  const defaultRegime = (): string => catalog.regimes.get(catalog.resolve('regime', deps.config.defaultRegime) ?? '')?.id ?? deps.config.defaultRegime;

  app.get('/query', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = sessionOf(req, deps);
    const purposes = session ? declarable(catalog, session.principal) : [];
    res.type('html').send(queryPage(catalog, deps, session, { query: EXAMPLE, purpose: purposes[0]?.id ?? '', regime: defaultRegime() }));
  });

  app.post('/query', form, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = sessionOf(req, deps);
    if (!session) {
      res.redirect(303, '/sign-in?next=%2Fquery');
      return;
    }
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    checkCsrf(session, body.csrf);
    const formState: QueryForm = { query: body.query ?? '', purpose: body.purpose ?? '', regime: body.regime ?? defaultRegime() };
    const action = body.action === 'explain' || formState.regime === 'both' ? 'explain' : 'run';
    if (!declarable(catalog, session.principal).some((p) => p.id === formState.purpose)) {
      res.status(422).type('html').send(queryPage(catalog, deps, session, formState, undefined, 'Choose one of the purposes your role may declare.'));
      return;
    }
    const headers = { authorization: `Bearer ${sessionToken(req) ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' };
    const params = new URLSearchParams({ query: formState.query, purpose: formState.purpose, regime: formState.regime }).toString();
    let outcome: SafeHtml;
    if (action === 'explain') {
      const answer = await callSelf(req, '/sparql/explain', { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: params });
      const json = JSON.parse(answer.body) as { decision?: DecisionJson; decisions?: Record<string, DecisionJson>; differences?: { message: string }[]; regime?: string } & Record<string, unknown>;
      if (answer.status !== 200) outcome = refusalHtml(catalog, json, false);
      else if (json.decisions) {
        outcome = html`<h2>Explanation under both regimes</h2>
${json.differences?.length ? html`<h3>What differs</h3><ul class="differences">${json.differences.map((d) => html`<li class="diff-added">${d.message}</li>`)}</ul>` : html`<p>Both regimes decide the same.</p>`}
<div class="side-by-side" style="display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem">${Object.entries(json.decisions).map(([regime, d]) => decisionSection(catalog, idOf(regime), d))}</div>`;
      } else if (json.decision) {
        outcome = html`<h2>Explanation</h2>${decisionSection(catalog, idOf(json.regime ?? formState.regime), json.decision)}`;
      } else outcome = html`<p>The gate gave no decision.</p>`;
    } else {
      const answer = await callSelf(req, '/sparql', { method: 'POST', headers: { ...headers, accept: 'application/sparql-results+json' }, body: params });
      const json = JSON.parse(answer.body) as Record<string, unknown>;
      outcome = answer.status === 200
        ? html`<h2>Result</h2>${resultsTable(json as Parameters<typeof resultsTable>[0])}`
        : refusalHtml(catalog, json, !!supervisionPurpose(catalog, session.principal));
    }
    res.type('html').send(queryPage(catalog, deps, session, formState, outcome));
  });

  app.get('/trail', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = sessionOf(req, deps);
    if (!session) {
      res.redirect(303, '/sign-in?next=%2Ftrail');
      return;
    }
    const trail = await readTrail(req, deps, session);
    if ('error' in trail) {
      res.status(trail.error.status).type('html').send(webPage({ title: 'Audit trail', body: html`${sessionBar(session, '/trail')}<h1>Audit trail</h1><p>${trail.error.message}</p>`, active: '/trail' }));
      return;
    }
    res.type('html').send(trailPage(catalog, session, trail.entries.filter((e) => e.decision !== undefined || e.decisionCode !== undefined)));
  });

  app.get('/trail/entries/:seq', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = sessionOf(req, deps);
    if (!session) {
      res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const trail = await readTrail(req, deps, session);
    if ('error' in trail) {
      res.status(trail.error.status).type('html').send(webPage({ title: 'Audit trail', body: html`${sessionBar(session, '/trail')}<h1>Audit trail</h1><p>${trail.error.message}</p>`, active: '/trail' }));
      return;
    }
    const seq = String(req.params.seq);
    const entry = trail.entries.find((e) => (e.auditSeq ?? idOf(e.id)) === seq);
    if (!entry) throw new DatalyftError('audit-entry-not-found', `No audit entry ${seq}; /trail lists them.`, { status: 404, where: { seq } });
    res.type('html').send(entryPage(catalog, session, entry));
  });
};
