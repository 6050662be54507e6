/**
 * Reporting to a register with yearly erasure (the absence register), in the browser and
 * through the API. Thin: the checks, the ingest and the receipt are in src/register/.
 *
 *   GET  /register                      the registers, with who may use them and erasure
 *   GET  /register/{id}/report          the reporting page: one child's day, or a CSV file
 *   POST /register/{id}/report          the one-child form (form-encoded, CSRF token)
 *   POST /register/{id}/upload          the CSV form (multipart/form-data, CSRF token)
 *   GET  /register/{id}/template.csv    an empty CSV with the header row
 *   POST /register/{id}/reports         the API: JSON or CSV, bearer token → 201 receipt or 422
 *
 * The pages work without JavaScript: errors come back from the server as a summary at the
 * top (focused, each a link to its field) and as a message next to each field, with the
 * values kept.
 */
import busboy from 'busboy';
import express, { type Request, type Response } from 'express';
import type { Catalog } from '../../catalog/catalog.ts';
import { DatalyftError } from '../../errors.ts';
import { erasedThrough } from '../../register/erasure.ts';
import { registerIngest } from '../../register/ingest.ts';
import { requireRegister, yearlyRegisters, type YearlyRegister } from '../../register/registers.ts';
import {
  FIELD_LABELS, GILTIG, NARVAROSTATUS, OMFATTNING, parseReportCsv, parseReportJson, REPORT_FIELDS, SKOLFORMER,
  swedishDate, type ReportField, type ReportInput, type ReportViolation,
} from '../../register/report.ts';
import { requireReporter, submitReports, type Receipt, type ReportingDeps } from '../../register/reporting.ts';
import { SchoolUnits } from '../../register/school-units.ts';
import { authenticate } from '../../sparql/auth.ts';
import type { RouteModule } from '../app.ts';
import type { AppDeps } from '../deps.ts';
import { describeEndpoints } from '../endpoints.ts';
import { html, raw, text, type SafeHtml } from '../html.ts';
import { sendProblem } from '../problem.ts';
import {
  checkCsrf, csrfField, errorSummary, redirectToSignIn, sessionBar, sessionOf, webPage, type FieldError, type WebSession,
} from './web-session.ts';

const CSV_TYPES = ['text/csv', 'application/csv'];

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function fieldId(field: ReportField): string {
  return `f-${field}`;
}

// ------------------------------------------------------------------ pages

function proposalNotice(catalog: Catalog, register: YearlyRegister): SafeHtml {
  const basis = register.dataset.legalBasis.map((p) => catalog.provisions.get(p)).filter((p) => p?.proposed);
  if (basis.length === 0) return html``;
  return html`<p class="notice"><strong>A proposal.</strong> This register rests on ${basis.map((p, i) => html`${i > 0 ? ', ' : ''}<a href="/provisions/${p!.id}">${p!.citation}</a>`)}, which is not enacted:
the register does not exist under today's law. The hub shows how it would work.</p>`;
}

function registerFacts(catalog: Catalog, register: YearlyRegister, erasureDate: string, now: Date): SafeHtml {
  const ds = register.dataset;
  const channels = ds.channels.map((ch) => html`<li>${ch.recipient ? catalog.label(ch.recipient) : 'a recipient'}, for ${ch.purposes.map((p, i) => html`${i > 0 ? ', ' : ''}<a href="/purposes/${catalog.purposes.get(p)?.id ?? ''}">${text(catalog.purposes.get(p)?.label)}</a>`)} (${ch.provisions.map((p, i) => html`${i > 0 ? '; ' : ''}<a href="/provisions/${catalog.provisions.get(p)?.id ?? ''}">${catalog.provisions.get(p)?.citation ?? p}</a>`)})</li>`);
  const through = erasedThrough(now, erasureDate);
  return html`<dl>
<dt>Controller</dt><dd>${ds.controller ? catalog.label(ds.controller) : '—'}</dd>
<dt>Who reports</dt><dd>${ds.writers.map((r, i) => html`${i > 0 ? ', ' : ''}${text(catalog.roles.get(r)?.label)}`)}</dd>
<dt>Who may read it</dt><dd><ul>${channels}</ul>and no one else: every other purpose and agency, the controller's own statistics included, is refused by the gate.</dd>
<dt>Secrecy</dt><dd>${ds.secrecy.map((p, i) => html`${i > 0 ? '; ' : ''}<a href="/provisions/${catalog.provisions.get(p)?.id ?? ''}">${catalog.provisions.get(p)?.citation ?? p}</a>`)}</dd>
<dt>Erasure</dt><dd>${text(register.retention.label)}: every year on ${erasureDate} (MM-DD) the previous year's reports are erased. Years up to ${through} are erased now.</dd>
</dl>`;
}

function registerListPage(catalog: Catalog, deps: AppDeps, session: WebSession | undefined): string {
  const registers = yearlyRegisters(catalog);
  const body = html`
${sessionBar(session, '/register')}
<h1>Registers</h1>
<p>Registers whose records are erased every year. Schools report to them here, one child's day at a time or a class by CSV file.</p>
${registers.map((r) => html`<section>
<h2><a href="/datasets/${r.dataset.id}">${text(r.dataset.title, 'sv')}</a></h2>
${proposalNotice(catalog, r)}
<p><a href="/register/${r.dataset.id}/report">Report absence or attendance</a></p>
${registerFacts(catalog, r, deps.config.erasureDate, deps.now())}
</section>`)}`;
  return webPage({ title: 'Registers', body });
}

interface FormState {
  values: ReportInput;
  violations: ReportViolation[];
  /** Which of the two forms the violations belong to. */
  form?: 'one' | 'csv';
  csvName?: string;
}

function textField(field: ReportField, state: FormState, options: { type?: string; inputmode?: string; autocomplete?: string; list?: string } = {}): SafeHtml {
  const errors = state.form === 'one' ? state.violations.filter((v) => v.field === field) : [];
  const id = fieldId(field);
  const described = [`${id}-hint`, ...(errors.length ? [`${id}-error`] : [])].join(' ');
  return html`<div class="field${errors.length ? ' field-error' : ''}">
<label for="${id}" lang="sv">${FIELD_LABELS[field].label}</label>
<span class="hint" id="${id}-hint">${FIELD_LABELS[field].hint}</span>
${errors.length ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${errors.map((e) => e.message).join(' ')}</p>` : ''}
<input type="${options.type ?? 'text'}" id="${id}" name="${field}" value="${state.values[field] ?? ''}" aria-describedby="${described}"${errors.length ? raw(' aria-invalid="true"') : ''}${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${options.list ? html` list="${options.list}"` : ''} autocomplete="${options.autocomplete ?? 'off'}" spellcheck="false">
</div>`;
}

function radios(field: ReportField, options: { code: string; label: string }[], state: FormState): SafeHtml {
  const errors = state.form === 'one' ? state.violations.filter((v) => v.field === field) : [];
  const id = fieldId(field);
  return html`<div class="field${errors.length ? ' field-error' : ''}">
<fieldset aria-describedby="${id}-hint${errors.length ? ` ${id}-error` : ''}">
<legend lang="sv">${FIELD_LABELS[field].label}</legend>
<span class="hint" id="${id}-hint">${FIELD_LABELS[field].hint}</span>
${errors.length ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${errors.map((e) => e.message).join(' ')}</p>` : ''}
${options.map((o, i) => html`<label><input type="radio" name="${field}" value="${o.code}" id="${i === 0 ? id : `${id}-${o.code}`}"${state.values[field] === o.code ? raw(' checked') : ''}> ${o.label}</label>`)}
</fieldset>
</div>`;
}

function selectField(field: ReportField, options: { code: string; label: string }[], state: FormState): SafeHtml {
  const errors = state.form === 'one' ? state.violations.filter((v) => v.field === field) : [];
  const id = fieldId(field);
  return html`<div class="field${errors.length ? ' field-error' : ''}">
<label for="${id}" lang="sv">${FIELD_LABELS[field].label}</label>
<span class="hint" id="${id}-hint">${FIELD_LABELS[field].hint}</span>
${errors.length ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${errors.map((e) => e.message).join(' ')}</p>` : ''}
<select id="${id}" name="${field}" aria-describedby="${id}-hint${errors.length ? ` ${id}-error` : ''}"${errors.length ? raw(' aria-invalid="true"') : ''}>
<option value="">Choose …</option>
${options.map((o) => html`<option value="${o.code}"${state.values[field] === o.code ? raw(' selected') : ''}>${o.label}</option>`)}
</select>
</div>`;
}

function summaryErrors(state: FormState): FieldError[] {
  if (state.form === 'csv') {
    return state.violations.map((v) => ({ id: 'f-csv', message: v.row > 0 ? `Row ${v.row}${v.field !== 'file' ? `, ${v.field}` : ''}: ${v.message}` : v.message }));
  }
  return state.violations.map((v) => ({ id: v.field === 'file' ? fieldId('personnummer') : fieldId(v.field), message: v.message }));
}

function reportPage(catalog: Catalog, deps: AppDeps, register: YearlyRegister, session: WebSession, units: SchoolUnits, state: FormState): string {
  const ds = register.dataset;
  const mine = units.unitsOf(session.principal.id);
  const today = swedishDate(deps.now());
  const values: FormState = { ...state, values: { datum: today, ...state.values } };
  const csvErrors = state.form === 'csv' ? state.violations : [];
  const body = html`
${errorSummary(summaryErrors(state))}
${sessionBar(session, `/register/${ds.id}/report`)}
<p><a href="/register">Registers</a> › <a href="/datasets/${ds.id}">${text(ds.title, 'sv')}</a></p>
<h1>Report absence or attendance</h1>
${proposalNotice(catalog, register)}
<p>You report for: ${mine.length ? mine.map((u, i) => html`${i > 0 ? ', ' : ''}${u.name} <code>${u.skolenhetskod}</code>`) : html`<strong>no school unit</strong> (ask the register to add your provider's units)`}.</p>

<h2 id="one">One child's day</h2>
<form method="post" action="/register/${ds.id}/report" novalidate>
${csrfField(session)}
${textField('personnummer', values, { inputmode: 'numeric' })}
${textField('skolenhetskod', values, { inputmode: 'numeric', list: 'my-units' })}
<datalist id="my-units">${mine.map((u) => html`<option value="${u.skolenhetskod}">${u.name}</option>`)}</datalist>
${selectField('skolform', SKOLFORMER, values)}
${textField('datum', values, { type: 'date' })}
${radios('narvarostatus', NARVAROSTATUS, values)}
${radios('omfattning', OMFATTNING, values)}
${radios('giltig', GILTIG, values)}
<button type="submit">Send report</button>
</form>

<h2 id="class">A class's day (CSV file)</h2>
<form method="post" action="/register/${ds.id}/upload" enctype="multipart/form-data" novalidate>
${csrfField(session)}
<div class="field${csvErrors.length ? ' field-error' : ''}">
<label for="f-csv">CSV file</label>
<span class="hint" id="f-csv-hint">A header row with the columns <code>${REPORT_FIELDS.join(',')}</code> (comma or semicolon), then one row per child. <a href="/register/${ds.id}/template.csv">Download an empty template</a>. The whole file is accepted or none of it.</span>
${csvErrors.length ? html`<p class="error-message" id="f-csv-error"><span class="visually-hidden">Error:</span> ${state.csvName ? html`${state.csvName}: ` : ''}${csvErrors.length} problem${csvErrors.length === 1 ? '' : 's'}; nothing was reported.</p>` : ''}
<input type="file" id="f-csv" name="csv" accept=".csv,text/csv" aria-describedby="f-csv-hint${csvErrors.length ? ' f-csv-error' : ''}"${csvErrors.length ? raw(' aria-invalid="true"') : ''}>
</div>
${csvErrors.length ? html`<table id="csv-errors"><caption>Problems in the file</caption><thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
<tbody>${csvErrors.map((v) => html`<tr><td>${v.row > 0 ? v.row : '—'}</td><td>${v.field === 'file' ? '—' : v.field}</td><td>${v.message}</td></tr>`)}</tbody></table>` : ''}
<button type="submit">Upload and report</button>
</form>

<h2>About this register</h2>
${registerFacts(catalog, register, deps.config.erasureDate, deps.now())}`;
  return webPage({ title: 'Report absence or attendance', body, error: state.violations.length > 0 });
}

function receiptPage(catalog: Catalog, register: YearlyRegister, session: WebSession, receipt: Receipt): string {
  const ds = register.dataset;
  const body = html`
${sessionBar(session, `/register/${ds.id}/report`)}
<div class="receipt" role="status" tabindex="-1" autofocus>
<h2>Report received</h2>
<p>${receipt.count} ${receipt.count === 1 ? 'report was' : 'reports were'} added to ${text(ds.title, 'sv')}.</p>
<dl>
<dt>Receipt</dt><dd><code id="receipt-id">${receipt.id}</code></dd>
<dt>Time</dt><dd><time datetime="${receipt.time}">${receipt.time}</time></dd>
<dt>Reports</dt><dd id="receipt-count">${receipt.count}</dd>
<dt>SHA-256</dt><dd><code id="receipt-hash">${receipt.sha256}</code></dd>
<dt>Reported by</dt><dd>${session.principal.name}</dd>
</dl>
<p class="hint">Keep the receipt: the hub keeps no copy of it, and the reports themselves are erased with their year.</p>
</div>
<p><a href="/register/${ds.id}/report">Report more</a> · <a href="/register">Registers</a></p>`;
  return webPage({ title: `Receipt ${receipt.id}`, body });
}

function forbiddenPage(session: WebSession, error: DatalyftError): string {
  const body = html`${sessionBar(session, '/register')}<h1>You cannot report here</h1><p>${error.message}</p><p><a href="/sign-in">Sign in as someone else</a> · <a href="/register">Registers</a></p>`;
  return webPage({ title: 'You cannot report here', body });
}

// ------------------------------------------------------------------ bodies

/** Reads a multipart upload: the CSRF field and one CSV file, within the body limit. */
function readUpload(req: Request, limit: number): Promise<{ fields: Record<string, string>; file?: { name: string; text: string } }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 4096 } });
    } catch (error) {
      reject(new DatalyftError('unsupported-media-type', `The upload must be multipart/form-data: ${(error as Error).message}`, { status: 415 }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { name: string; text: string } | undefined;
    let tooLarge = false;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        if (info.filename) file = { name: info.filename, text: Buffer.concat(chunks).toString('utf8') };
      });
    });
    parser.on('error', (error) => reject(new DatalyftError('invalid-upload', `The upload could not be read: ${(error as Error).message}`, { status: 400 })));
    parser.on('close', () => {
      if (tooLarge) reject(new DatalyftError('body-too-large', `The file is larger than the limit of ${limit} bytes; split the class into smaller files.`, { status: 413 }));
      else resolve({ fields, file });
    });
    req.pipe(parser);
  });
}

// ------------------------------------------------------------------ routes

export const registerRegisterRoutes: RouteModule = (app, deps) => {
  const { catalog } = deps;
  describeEndpoints(app, [
    { method: 'GET', path: '/register', summary: 'Registers with yearly erasure (the absence register): who reports, who may read, erasure', formats: ['text/html'] },
    { method: 'GET', path: '/register/{id}/report', summary: 'Reporting page: one child\'s day by form, a class\'s day by CSV file (sign in first)', formats: ['text/html'] },
    { method: 'POST', path: '/register/{id}/reports', summary: 'Report absence or attendance: a JSON array or a CSV file, bearer token of a reporter → 201 receipt, or 422 with every violation', formats: ['application/json'] },
    { method: 'GET', path: '/register/{id}/template.csv', summary: 'Empty CSV with the header row of a report', formats: ['text/csv'] },
  ]);
  const units = SchoolUnits.fromFile();
  const reporting = (): ReportingDeps => ({
    catalog, store: deps.store, units, now: deps.now, erasureDate: deps.config.erasureDate, ingest: registerIngest(deps),
  });
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  /** The register and the signed-in reporter, or a redirect / a page saying why not. */
  const pageContext = (req: Request, res: Response): { register: YearlyRegister; session: WebSession } | undefined => {
    res.setHeader('Cache-Control', 'no-store');
    const register = requireRegister(catalog, param(req, 'id'));
    const session = sessionOf(req, deps);
    if (!session) {
      redirectToSignIn(req, res);
      return undefined;
    }
    try {
      requireReporter(catalog, register, session.principal.iri);
    } catch (error) {
      if (error instanceof DatalyftError) {
        res.status(error.status).type('html').send(forbiddenPage(session, error));
        return undefined;
      }
      throw error;
    }
    return { register, session };
  };

  app.get('/register', (req, res) => {
    res.type('html').send(registerListPage(catalog, deps, sessionOf(req, deps)));
  });

  app.get('/register/:id/template.csv', (req, res) => {
    requireRegister(catalog, param(req, 'id'));
    res.type('text/csv; charset=utf-8').attachment('franvaro-mall.csv').send(`${REPORT_FIELDS.join(',')}\n`);
  });

  app.get('/register/:id/report', (req, res) => {
    const ctx = pageContext(req, res);
    if (!ctx) return;
    res.type('html').send(reportPage(catalog, deps, ctx.register, ctx.session, units, { values: {}, violations: [] }));
  });

  app.post('/register/:id/report', form, async (req, res) => {
    const ctx = pageContext(req, res);
    if (!ctx) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    checkCsrf(ctx.session, body.csrf);
    const input: ReportInput = {};
    for (const f of REPORT_FIELDS) input[f] = typeof body[f] === 'string' ? (body[f] as string) : '';
    const outcome = await submitReports(reporting(), { register: ctx.register.dataset.id, principal: ctx.session.principal.iri, inputs: [input] });
    if (!outcome.ok) {
      res.status(422).type('html').send(reportPage(catalog, deps, ctx.register, ctx.session, units, { values: input, violations: outcome.violations, form: 'one' }));
      return;
    }
    res.status(201).type('html').send(receiptPage(catalog, ctx.register, ctx.session, outcome.receipt));
  });

  app.post('/register/:id/upload', async (req, res) => {
    const ctx = pageContext(req, res);
    if (!ctx) return;
    const upload = await readUpload(req, deps.config.bodyLimitBytes);
    checkCsrf(ctx.session, upload.fields.csrf);
    const fail = (violations: ReportViolation[]): void => {
      res.status(422).type('html').send(reportPage(catalog, deps, ctx.register, ctx.session, units, { values: {}, violations, form: 'csv', csvName: upload.file?.name }));
    };
    if (!upload.file || upload.file.text.trim() === '') {
      fail([{ row: 0, field: 'file', code: 'csv-missing', message: upload.file ? 'The file is empty; it needs a header row and one row per child.' : 'Choose a CSV file to upload.' }]);
      return;
    }
    const parsed = parseReportCsv(upload.file.text);
    if (parsed.violations.length > 0) {
      fail(parsed.violations);
      return;
    }
    const outcome = await submitReports(reporting(), { register: ctx.register.dataset.id, principal: ctx.session.principal.iri, inputs: parsed.inputs });
    if (!outcome.ok) {
      fail(outcome.violations);
      return;
    }
    res.status(201).type('html').send(receiptPage(catalog, ctx.register, ctx.session, outcome.receipt));
  });

  const apiBody = [
    express.json({ limit: deps.config.bodyLimitBytes, type: ['application/json'] }),
    express.text({ limit: deps.config.bodyLimitBytes, type: CSV_TYPES, defaultCharset: 'utf-8' }),
  ];
  app.post('/register/:id/reports', (req, res, next) => {
    // Who asks comes before reading the body: an unknown token reads nothing.
    const auth = authenticate(req, deps.tokens);
    if (!auth.principal) throw new DatalyftError('authentication-required', 'Reporting needs a reporter\'s bearer token: send Authorization: Bearer <token>.', { status: 401, where: { header: 'Authorization' } });
    requireReporter(catalog, requireRegister(catalog, param(req, 'id')), auth.principal);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !CSV_TYPES.includes(type)) {
      throw new DatalyftError('unsupported-media-type', `Send the reports as application/json (an array of objects with ${REPORT_FIELDS.join(', ')}) or text/csv (a header row with those columns).`, { status: 415, where: { header: 'Content-Type' } });
    }
    res.locals.principal = auth.principal;
    next();
  }, ...apiBody, async (req, res) => {
    const principal = String(res.locals.principal);
    let inputs: ReportInput[];
    if (typeof req.body === 'string') {
      const parsed = parseReportCsv(req.body);
      if (parsed.violations.length > 0) {
        sendProblem(res, invalidReport(parsed.violations), req.originalUrl);
        return;
      }
      inputs = parsed.inputs;
    } else {
      inputs = parseReportJson(req.body);
    }
    const outcome = await submitReports(reporting(), { register: param(req, 'id'), principal, inputs });
    if (!outcome.ok) {
      sendProblem(res, invalidReport(outcome.violations), req.originalUrl);
      return;
    }
    res.status(201).type('application/json').send(JSON.stringify({ receipt: outcome.receipt }, null, 2));
  });
};

function invalidReport(violations: ReportViolation[]): DatalyftError {
  return new DatalyftError('report-invalid', `The report was not accepted: ${violations.length} violation${violations.length === 1 ? '' : 's'}; nothing was stored. Each names its row (1 = the first report) and field.`, {
    status: 422, extra: { violations },
  });
}

