/**
 * /sparql (SPARQL 1.1 Protocol through the purpose gate) and /sparql/explain (the decision
 * without running). Thin: the gate (src/sparql/gate.ts) does the work; this module reads
 * the body within the limit, echoes the transaction id and sends what the gate answers.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { describeError } from '../../errors.ts';
import type { Decision, Reason } from '../../policy/types.ts';
import { shorten } from '../../rdf/namespaces.ts';
import { answerQuery, explain, transactionOf, type Explanation, type GateDeps } from '../../sparql/gate.ts';
import { checkPostBody, FORM_TYPE, SPARQL_QUERY_TYPE } from '../../sparql/protocol.ts';
import type { AppDeps } from '../deps.ts';
import { html, layout, type SafeHtml } from '../html.ts';
import { sendProblem, toDatalyftError } from '../problem.ts';

function gateDeps(deps: AppDeps): GateDeps {
  return { config: deps.config, catalog: deps.catalog, store: deps.store, audit: deps.audit, tokens: deps.tokens, now: deps.now, log: deps.log };
}

/** Every answer of the gate: the transaction id echoed, never cached, varies by who asks. */
function begin(req: Request, res: Response, next: NextFunction): void {
  const transaction = transactionOf(req);
  res.locals.transaction = transaction;
  res.setHeader('Datalyft-Transaction', transaction);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Vary', 'Accept, Authorization, Datalyft-Purpose');
  next();
}

function checkBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'POST') checkPostBody(req, { allowQueryBody: true });
  next();
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

function queryForm(): string {
  const body = html`<h1>SPARQL through the purpose gate</h1>
<p>Queries on the public metadata (ontology, catalog, shapes) need neither token nor purpose. Record data need
<code>Authorization: Bearer &lt;token&gt;</code> and a declared purpose; see the README for the demo tokens.</p>
<form method="post" action="/sparql">
<p><label>Query<br><textarea name="query" rows="12" cols="90">SELECT ?dataset ?title WHERE { ?dataset a dcat:Dataset ; dct:title ?title . FILTER(lang(?title) = "en") } ORDER BY ?dataset</textarea></label></p>
<p><label>Purpose <input name="purpose" placeholder="sfb-114-8-p3"></label>
<label>Regime <select name="regime"><option value="">default</option><option>gallande-ratt</option><option>sou-2025-108</option></select></label></p>
<p><button type="submit">Run</button> <button type="submit" formaction="/sparql/explain">Explain</button></p>
</form>`;
  return layout({ title: 'SPARQL', body, active: '/sparql' });
}

function reasonRows(reasons: Reason[]): SafeHtml {
  return html`${reasons.map((r) => html`<tr><td>${r.outcome}</td><td><code>${r.code}</code></td><td>${r.message}</td><td>${r.citation ?? ''}</td><td>${r.dataset ? shorten(r.dataset) : ''}${r.protectionClass ? html` <span class="tag">${shorten(r.protectionClass)}</span>` : ''}</td></tr>`)}`;
}

function decisionHtml(title: string, d: Decision): SafeHtml {
  const reasons = [...d.reasons, ...d.datasets.flatMap((x) => [...x.reasons, ...x.classes.flatMap((c) => c.reasons)])];
  return html`<section><h2>${title}: ${d.allow ? 'allowed' : `refused (${d.code ?? ''}, ${d.status ?? ''})`}</h2>
<p>Principal ${d.principal ? shorten(d.principal) : '(none)'}, purpose ${d.purpose ? shorten(d.purpose) : '(none)'}${d.aggregatesOnly ? ', aggregates only' : ''}.</p>
<table><thead><tr><th>outcome</th><th>code</th><th>reason</th><th>provision</th><th>concerns</th></tr></thead><tbody>${reasonRows(reasons)}</tbody></table>
<details><summary>${d.graphs.length} graphs permitted</summary><ul>${d.graphs.map((g) => html`<li><code>${shorten(g)}</code></li>`)}</ul></details>
</section>`;
}

function explanationHtml(e: Explanation): string {
  const parts: SafeHtml[] = [];
  if (e.query) parts.push(html`<h2>The query as the engine would run it</h2><pre><code>${e.query.executed}</code></pre>
<p>Names datasets: ${e.query.datasetsNamed.map((d) => html`<span class="tag">${shorten(d)}</span>`)}; selects on: ${e.query.selectionElements.map((d) => html`<span class="tag">${shorten(d)}</span>`)}; aggregates only: ${String(e.query.aggregateOnly)}.</p>`);
  if (e.decision) parts.push(decisionHtml(`Under ${e.regime ? shorten(e.regime) : ''}`, e.decision));
  if (e.decisions) {
    if (e.differences?.length) parts.push(html`<h2>What differs</h2><ul>${e.differences.map((d) => html`<li>${d.message}</li>`)}</ul>`);
    for (const [regime, d] of Object.entries(e.decisions)) parts.push(decisionHtml(`Under ${regime}`, d));
  }
  return layout({ title: 'Explain', body: html`<h1>Explain</h1>${parts}`, active: '/sparql' });
}

export function registerSparqlRoutes(app: express.Express, deps: AppDeps): void {
  const readBody = express.text({ type: [FORM_TYPE, SPARQL_QUERY_TYPE], limit: deps.config.bodyLimitBytes, defaultCharset: 'utf-8' });

  const query = async (req: Request, res: Response): Promise<void> => {
    if (req.method === 'GET' && !new URL(req.originalUrl, 'http://x').searchParams.has('query') && wantsHtml(req)) {
      res.type('html').send(queryForm());
      return;
    }
    const answer = await answerQuery(gateDeps(deps), req, { transaction: String(res.locals.transaction) });
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };

  const explainRoute = async (req: Request, res: Response): Promise<void> => {
    const explanation = await explain(gateDeps(deps), req);
    if (wantsHtml(req)) {
      res.type('html').send(explanationHtml(explanation));
      return;
    }
    res.type('application/json').send(JSON.stringify({ transaction: res.locals.transaction, ...explanation }, null, 2));
  };

  app.get('/sparql', begin, query);
  app.post('/sparql', begin, checkBody, readBody, query);
  app.get('/sparql/explain', begin, explainRoute);
  app.post('/sparql/explain', begin, checkBody, readBody, explainRoute);
  // Problems name the path only, not the URL: a refusal does not echo the query back.
  app.use(['/sparql', '/sparql/explain'], (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toDatalyftError(error);
    if (problem.status >= 500) deps.log(`${req.method} ${req.originalUrl.split("?")[0]}: ${describeError(error)}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
    sendProblem(res, problem, req.originalUrl.split("?")[0]);
  });
}
