/**
 * GET /audit: the gate's audit trail for those who follow up access (SFB 114:13), as
 * JSON-LD in PROV-O terms. Only a principal whose role may declare a purpose of kind
 * dl:SupervisionKind, and who declares it in the Datalyft-Purpose header, reads it (the
 * `purpose` parameter here is a filter). Each reading is itself audited.
 */
import type { Request, Response } from 'express';
import type express from 'express';
import { parseFilter, provJsonld, selectEntries } from '../../audit/prov.ts';
import { DatalyftError } from '../../errors.ts';
import { decide } from '../../policy/decide.ts';
import { dl } from '../../rdf/namespaces.ts';
import { authenticate } from '../../sparql/auth.ts';
import { denialError, resolveRegime, transactionOf } from '../../sparql/gate.ts';
import { PURPOSE_HEADER } from '../../sparql/protocol.ts';
import type { AppDeps } from '../deps.ts';

export function registerAuditRoutes(app: express.Express, deps: AppDeps): void {
  app.get('/audit', async (req: Request, res: Response) => {
    const transaction = transactionOf(req);
    res.setHeader('Datalyft-Transaction', transaction);
    res.setHeader('Cache-Control', 'no-store');
    const { catalog } = deps;
    const accepted = req.accepts(['application/ld+json', 'application/json']);
    if (!accepted) throw new DatalyftError('not-acceptable', 'The audit trail is available as application/ld+json (or application/json).', { status: 406, where: { header: 'Accept' } });

    const auth = authenticate(req, deps.tokens);
    if (!auth.principal) {
      throw new DatalyftError('authentication-required', 'The audit trail needs an authenticated principal with a supervision purpose: send Authorization: Bearer <token> and Datalyft-Purpose.', { status: 401, where: { header: 'Authorization' } });
    }
    const params = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(req.originalUrl.split('?')[1] ?? '')) if (!params.has(k)) params.set(k, v);
    const declared = req.headers[PURPOSE_HEADER];
    const purposeText = Array.isArray(declared) ? declared.join(',') : declared?.trim();
    const principal = catalog.principals.get(auth.principal);
    const regime = resolveRegime(catalog, deps.config, params.get('regime'));
    const base = { kind: 'audit-read' as const, principal: auth.principal, agency: principal?.agency, role: principal?.role, regime, transaction, filters: Object.fromEntries(params) };

    const refuse = (error: DatalyftError): never => {
      const entry = deps.audit.append({ ...base, purpose: purposeText, decision: 'deny', code: error.code, status: error.status, reasons: [{ code: error.code, outcome: 'deny', message: error.message }] }, deps.now());
      throw new DatalyftError(error.code, error.message, { status: error.status, where: error.where, extra: { ...error.extra, auditEntry: entry.seq } });
    };
    if (!purposeText) {
      refuse(new DatalyftError('purpose-required', 'Reading the audit trail needs a declared supervision purpose in the Datalyft-Purpose header (e.g. sfb-114-13-uppfoljning); the purpose parameter of /audit is a filter.', { status: 400, where: { header: 'Datalyft-Purpose' } }));
    }
    const purpose = catalog.resolve('purpose', purposeText!);
    if (!purpose) refuse(new DatalyftError('unknown-purpose', `Unknown purpose "${purposeText}".`, { status: 400, where: { header: 'Datalyft-Purpose' } }));
    const decision = decide({ principal: auth.principal, purpose, regime, time: deps.now(), datasetsNamed: [], selectionElements: [], aggregateOnly: false, metadataOnly: false }, catalog);
    if (!decision.allow) refuse(denialError(decision, catalog));
    if (!catalog.purposes.get(purpose!)?.kinds.includes(dl.SupervisionKind)) {
      refuse(new DatalyftError('audit-not-permitted', `Purpose ${catalog.purposes.get(purpose!)?.id} is not a supervision purpose; the audit trail is read only to check and follow up access (SFB 114 kap. 13 §).`, {
        status: 403, extra: { provision: catalog.resolve('provision', 'sfb-114-13') },
      }));
    }

    const filter = parseFilter(params, catalog);
    const entry = deps.audit.append({ ...base, purpose, decision: 'allow', reasons: decision.reasons.map((r) => ({ code: r.code, outcome: r.outcome, message: r.message, provision: r.provision, citation: r.citation })), provisions: decision.provisions }, deps.now());
    const view = selectEntries(deps.audit.readAll(), filter, { agency: principal?.agency, catalog });
    const body = await provJsonld(view);
    res.setHeader('Datalyft-Audit-Entry', String(entry.seq));
    // More entries matched than `limit`: narrow the filters or raise the limit (up to 1000).
    res.setHeader('Datalyft-Audit-More', String(view.more));
    res.type(accepted).send(JSON.stringify(body, null, 2));
  });
}
