/**
 * Signing in to the web interface without JavaScript: the sign-in form takes a bearer token
 * (the same tokens as the API, src/sparql/auth.ts) and keeps it in an HttpOnly,
 * SameSite=Strict cookie. Every form that changes something carries a CSRF token in a
 * hidden field: an HMAC of the session token under a secret of this process, so it needs
 * no server-side session store and changes with the session. SameSite=Strict alone already
 * keeps other sites' forms from riding the cookie; the CSRF token is the second line.
 *
 * Also the shared bits of the web pages: the GOV.UK-style error summary and inline field
 * errors, and the "signed in as" bar.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Principal } from '../../catalog/model.ts';
import { DatalyftError } from '../../errors.ts';
import type { RouteModule } from '../app.ts';
import type { AppDeps } from '../deps.ts';
import { describeEndpoints } from '../endpoints.ts';
import { html, layout, raw, type SafeHtml } from '../html.ts';

export const SESSION_COOKIE = 'datalyft_session';
const SECRET = randomBytes(32);

export interface WebSession {
  principal: Principal;
  /** The CSRF token forms of this session must send back. */
  csrf: string;
}

function csrfFor(token: string): string {
  return createHmac('sha256', SECRET).update(`csrf:${token}`).digest('base64url');
}

/** Cookie header → name/value pairs (RFC 6265 cookie-string; values are not decoded). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!out.has(name)) out.set(name, part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** The signed-in principal, from the session cookie; undefined when none or unknown. */
export function sessionOf(req: Request, deps: AppDeps): WebSession | undefined {
  const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (!token) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    return undefined;
  }
  const iri = deps.tokens.principalOf(decoded);
  const principal = iri ? deps.catalog.principals.get(iri) : undefined;
  return principal ? { principal, csrf: csrfFor(decoded) } : undefined;
}

/** The bearer token of the session, for calls to the API on the principal's behalf. */
export function sessionToken(req: Request): string | undefined {
  const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (!token) return undefined;
  try {
    return decodeURIComponent(token);
  } catch {
    return undefined;
  }
}

/** Throws 403 `csrf-mismatch` unless the form carries this session's CSRF token. */
export function checkCsrf(session: WebSession, sent: unknown): void {
  const a = Buffer.from(typeof sent === 'string' ? sent : '');
  const b = Buffer.from(session.csrf);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new DatalyftError('csrf-mismatch', 'The form did not carry this session\'s CSRF token (it may be from an older session). Reload the page and send the form again.', { status: 403, where: { field: 'csrf' } });
  }
}

export function csrfField(session: WebSession): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${session.csrf}">`;
}

/** A local path to return to after signing in: only paths of this site. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7E]*$/.test(next) ? next : fallback;
}

/** Sends a browser to the sign-in page, coming back here afterwards. */
export function redirectToSignIn(req: Request, res: Response): void {
  res.redirect(303, `/sign-in?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
}

// ------------------------------------------------------------------ shared page parts

/** Styles of the web forms: error summary, inline errors, focus ring, visually hidden text. */
export const WEB_STYLE = raw(`<style>
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); border: 0; white-space: nowrap; }
.error-summary { border: 4px solid #b10e1e; padding: .75rem 1rem; margin: 0 0 1.5rem; max-width: 45rem; }
.error-summary:focus { outline: 3px solid #fd0; }
.error-summary h2 { margin-top: 0; font-size: 1.2rem; }
.error-summary a { color: #b10e1e; font-weight: 700; }
.error-message { color: #b10e1e; font-weight: 700; margin: .2rem 0; }
.field { margin: 0 0 1.1rem; max-width: 45rem; }
.field > label, .field legend { display: block; font-weight: 700; }
.field .hint { color: var(--muted); display: block; font-size: .9rem; }
.field-error { border-left: 5px solid #b10e1e; padding-left: .75rem; }
.field-error input, .field-error select { border: 2px solid #b10e1e; }
fieldset { border: 0; padding: 0; margin: 0; }
fieldset label { display: inline-block; margin-right: 1rem; font-weight: 400; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=password], input[type=date], select { padding: .3rem; min-width: 16rem; }
button { padding: .4rem 1rem; cursor: pointer; }
:focus-visible { outline: 3px solid #fd0; outline-offset: 1px; }
.session { background: #f3f2f1; color: #222; padding: .4rem .75rem; margin: 0 0 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.session form { margin: 0; }
.receipt { border: 3px solid #00703c; padding: 1rem; max-width: 45rem; }
.receipt h2 { color: #00703c; margin-top: 0; }
.notice { border-left: 5px solid var(--accent); padding-left: .75rem; max-width: 50rem; }
.diff-added { background: #e6f4ea; color: #0b3d1b; }
.diff-removed { background: #fdecea; color: #5c0a0a; }
pre { overflow-x: auto; }
</style>`);

export interface FieldError {
  /** id of the form control the summary links to. */
  id: string;
  message: string;
}

/** GOV.UK-style summary at the top: focused on load, each error a link to its field. */
export function errorSummary(errors: FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">There is a problem</h2>
<ul>${errors.map((e) => html`<li><a href="#${e.id}">${e.message}</a></li>`)}</ul>
</div>`;
}

/** The bar that says who is signed in, with a sign-out button. */
export function sessionBar(session: WebSession | undefined, here: string): SafeHtml {
  if (!session) return html`<div class="session"><span>Not signed in.</span> <a href="/sign-in?next=${encodeURIComponent(here)}">Sign in</a></div>`;
  return html`<div class="session"><span>Signed in as <strong>${session.principal.name}</strong> (<code>${session.principal.id}</code>)</span>
<form method="post" action="/sign-out">${csrfField(session)}<button type="submit">Sign out</button></form></div>`;
}

/** A page of the web interface: the shared layout plus the form styles. */
export function webPage(options: { title: string; body: SafeHtml; active?: string; error?: boolean }): string {
  return layout({ title: options.error ? `Error: ${options.title}` : options.title, body: options.body, active: options.active, head: WEB_STYLE });
}

function signInPage(options: { next: string; error?: string; session?: WebSession }): string {
  const errors = options.error ? [{ id: 'token', message: options.error }] : [];
  const body = html`
${errorSummary(errors)}
<h1>Sign in</h1>
${options.session ? html`<p>You are signed in as ${options.session.principal.name}. Signing in again replaces that session.</p>` : ''}
<p class="notice">Sign in with your bearer token: the same token the API takes in <code>Authorization: Bearer</code>.
The hub keeps it in a cookie that scripts cannot read and that is sent to this site only.
The embedded default has demo tokens (README), e.g. <code>demo-skolrapportor</code> for a school's reporter.</p>
<form method="post" action="/sign-in" novalidate>
<input type="hidden" name="next" value="${options.next}">
<div class="field${options.error ? ' field-error' : ''}">
<label for="token">Token</label>
<span class="hint" id="token-hint">As issued to you; it is not shown while you type.</span>
${options.error ? html`<p class="error-message" id="token-error"><span class="visually-hidden">Error:</span> ${options.error}</p>` : ''}
<input type="password" id="token" name="token" autocomplete="current-password" spellcheck="false" aria-describedby="token-hint${options.error ? ' token-error' : ''}"${options.error ? raw(' aria-invalid="true"') : ''}>
</div>
<button type="submit">Sign in</button>
</form>`;
  return webPage({ title: 'Sign in', body, error: !!options.error });
}

export const registerWebSessionRoutes: RouteModule = (app, deps) => {
  describeEndpoints(app, [
    { method: 'GET', path: '/sign-in', summary: 'Sign-in form of the web interface (token → HttpOnly SameSite=Strict cookie)', formats: ['text/html'] },
    { method: 'POST', path: '/sign-in', summary: 'Sign in with a bearer token (form-encoded: token, next)', formats: ['text/html'] },
    { method: 'POST', path: '/sign-out', summary: 'Sign out (form-encoded, with the CSRF token)', formats: ['text/html'] },
  ]);
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  app.get('/sign-in', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(signInPage({ next: safeNext(req.query.next), session: sessionOf(req, deps) }));
  });

  app.post('/sign-in', form, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const next = safeNext(body.next);
    const principal = token && /^[\x21-\x7E]+$/.test(token) ? deps.tokens.principalOf(token) : undefined;
    if (!principal) {
      const error = token ? 'The token is not known to this hub. Check it and try again.' : 'Enter your token.';
      res.status(401).type('html').send(signInPage({ next, error }));
      return;
    }
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, next);
  });

  app.post('/sign-out', form, (req, res) => {
    const session = sessionOf(req, deps);
    if (session) checkCsrf(session, (req.body as Record<string, unknown> | undefined)?.csrf);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/');
  });
};
