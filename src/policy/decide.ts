/**
 * decide(): the purpose gate's whole judgement, as a pure function of the request and the
 * catalog. It names no dataset, purpose or agency: every outcome follows from catalog
 * facts (a role's dl:mayDeclare, a purpose's dl:inRegime, a dataset's dpv:hasPurpose, a
 * channel's dl:recipient, an access rule's dl:permitsPurpose ...), and every reason carries
 * the provision and the fact it rests on.
 *
 * The generic rules, in order:
 *  1. No purpose declared: only the public metadata graphs (no token needed).
 *  2. The principal is known, its role may declare the purpose, the regime is known and in
 *     force at the time, and the purpose is in force under the regime.
 *  3. Per record dataset: it lists the purpose (under the regime); a principal of another
 *     agency needs a disclosure channel naming its agency (and the purpose, if the channel
 *     is purpose-bound) whose provisions are in force. The channel carries ordinary
 *     personal data; a class that needs a rule crosses only where the channel lists it.
 *  4. Per protection class of the dataset: ordinary classes follow the dataset; classes
 *     with dl:requiresRule need an access rule of the regime permitting the purpose (or its
 *     kind), with its conditions (dataset also serves one of dl:requiresDatasetPurpose;
 *     dl:controllerOnly).
 *  5. Selecting persons on an element that (directly or indirectly) reveals sensitive data
 *     needs a selection rule of the regime permitting the purpose's kind (SFB 114:12).
 *  6. A purpose of a reporting kind writes only; a statistics purpose gets aggregates only.
 *  7. A dataset the query names must be allowed, and so must every element it names.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { AccessRule, Dataset, DataElement, DisclosureChannel, Purpose } from '../catalog/model.ts';
import { dl, dpv, GRAPHS, RECORD_GRAPH_BASE, shorten } from '../rdf/namespaces.ts';
import type { ClassDecision, DatasetDecision, Decide, Decision, DecisionRequest, Reason } from './types.ts';

const METADATA_GRAPHS = [GRAPHS.ontology, GRAPHS.catalog, GRAPHS.shapes];

interface Context {
  request: DecisionRequest;
  catalog: Catalog;
  purpose: Purpose;
  regime: string;
  agency?: string;
}

function citationOf(catalog: Catalog, provision: string | undefined): string | undefined {
  return provision ? (catalog.provisions.get(provision)?.citation ?? shorten(provision)) : undefined;
}

function reason(catalog: Catalog, fields: Omit<Reason, 'citation'>): Reason {
  const citation = citationOf(catalog, fields.provision);
  return citation ? { ...fields, citation } : { ...fields };
}

function label(catalog: Catalog, iri: string): string {
  const item = catalog.datasets.get(iri) ?? catalog.purposes.get(iri);
  const id = item?.id ?? shorten(iri);
  const name = catalog.label(iri);
  return name && name !== id ? `${id} (${name})` : id;
}

/** The provision that grounds a purpose under a regime (the first in force there). */
function groundUnder(ctx: Context, purpose: Purpose): string | undefined {
  const { catalog, regime } = ctx;
  return purpose.groundedIn.find((p) => catalog.provisions.get(p)?.regimes.includes(regime)) ?? purpose.groundedIn[0];
}

function provisionInForce(catalog: Catalog, provision: string, regime: string): boolean {
  const p = catalog.provisions.get(provision);
  // A provision that states no regime is taken to be in force under all of them.
  return !p || p.regimes.length === 0 || p.regimes.includes(regime);
}

function ruleMatchesPurpose(rule: AccessRule, purpose: Purpose): boolean {
  return rule.purposes.includes(purpose.iri) || rule.purposeKinds.some((k) => purpose.kinds.includes(k));
}

function deny(ctx: { catalog: Catalog; request: DecisionRequest }, code: string, status: number, message: string, extra: Partial<Reason> = {}): Decision {
  const r = reason(ctx.catalog, { code, outcome: 'deny', message, ...extra });
  return {
    allow: false, code, status, principal: ctx.request.principal, purpose: ctx.request.purpose, regime: ctx.request.regime,
    time: ctx.request.time.toISOString(), graphs: [], datasets: [], reasons: [r], provisions: r.provision ? [r.provision] : [],
    aggregatesOnly: false,
  };
}

function decideClass(ctx: Context, dataset: Dataset, protectionClass: string, graphs: string[], channel?: DisclosureChannel): ClassDecision {
  const { catalog, regime, purpose } = ctx;
  const pc = catalog.protectionClasses.get(protectionClass);
  if (!pc?.requiresRule) {
    return { protectionClass, graph: graphs[0] ?? '', allowed: true, reasons: [] };
  }
  if (channel && !channel.disclosesClasses.includes(protectionClass)) {
    return {
      protectionClass, graph: graphs[0] ?? '', allowed: false,
      reasons: [reason(catalog, {
        code: 'channel-excludes-class', outcome: 'deny', dataset: dataset.iri, protectionClass,
        provision: dataset.secrecy.find((p) => provisionInForce(catalog, p, regime)) ?? dataset.secrecy[0],
        message: `Disclosure channel ${channel.id} does not carry the ${pc.label.en ?? shorten(protectionClass)} of ${dataset.id} to ${ctx.agency ? catalog.label(ctx.agency) : 'the recipient'}; the dataset's secrecy applies to them.`,
        fact: { subject: channel.iri, predicate: dl.disclosesClass, object: protectionClass },
      })],
    };
  }
  const rules = catalog.accessRules.filter((r) => r.regime === regime && r.protectionClasses.includes(protectionClass));
  const reasons: Reason[] = [];
  for (const rule of rules) {
    if (!ruleMatchesPurpose(rule, purpose)) continue;
    if (rule.requiresDatasetPurpose.length > 0) {
      const serves = rule.requiresDatasetPurpose.filter((p) => dataset.purposes.includes(p) && catalog.purposeInForce(p, regime));
      if (serves.length === 0) {
        reasons.push(reason(catalog, {
          code: 'condition-not-met', outcome: 'info', dataset: dataset.iri, protectionClass, provision: rule.provisions[0],
          message: `Rule ${rule.id} would permit ${purpose.id}, but only where ${dataset.id} is also processed for one of ${rule.requiresDatasetPurpose.map((p) => catalog.purposes.get(p)?.id ?? shorten(p)).join(', ')}; it is not.`,
          fact: { subject: rule.iri, predicate: dl.requiresDatasetPurpose, object: rule.requiresDatasetPurpose[0]! },
        }));
        continue;
      }
    }
    if (rule.controllerOnly && ctx.agency !== dataset.controller) {
      reasons.push(reason(catalog, {
        code: 'controller-only', outcome: 'deny', dataset: dataset.iri, protectionClass, provision: rule.provisions[0],
        message: `${pc.label.en ?? shorten(protectionClass)} of ${dataset.id} are reachable only by the controller's own principals (${dataset.controller ? catalog.label(dataset.controller) : 'no controller'}); they never go to another agency.`,
        fact: { subject: rule.iri, predicate: dl.controllerOnly, object: 'true' },
      }));
      return { protectionClass, graph: graphs[0] ?? '', allowed: false, reasons };
    }
    reasons.push(reason(catalog, {
      code: 'access-rule-permits', outcome: 'allow', dataset: dataset.iri, protectionClass, provision: rule.provisions[0],
      message: `Rule ${rule.id} permits ${purpose.id} to reach ${pc.label.en ?? shorten(protectionClass)} under this regime.`,
      fact: { subject: rule.iri, predicate: rule.purposes.includes(purpose.iri) ? dl.permitsPurpose : dl.permitsPurposeKind, object: rule.purposes.includes(purpose.iri) ? purpose.iri : (rule.purposeKinds.find((k) => purpose.kinds.includes(k)) ?? '') },
    }));
    return { protectionClass, graph: graphs[0] ?? '', allowed: true, reasons };
  }
  const cited = rules[0]?.provisions[0] ?? catalog.accessRules.find((r) => r.protectionClasses.includes(protectionClass))?.provisions[0];
  reasons.push(reason(catalog, {
    code: 'protection-class-not-permitted', outcome: 'deny', dataset: dataset.iri, protectionClass, provision: cited,
    message: `No rule of this regime lets ${purpose.id} reach the ${pc.label.en ?? shorten(protectionClass)} of ${dataset.id}.`,
  }));
  return { protectionClass, graph: graphs[0] ?? '', allowed: false, reasons };
}

/** Graphs of one class of a dataset: one, or one per year present for partitioned datasets. */
function classGraphs(ctx: Context, dataset: Dataset, protectionClass: string): string[] {
  const { catalog, request } = ctx;
  if (!dataset.partitionedBy) return [catalog.graphFor(dataset, protectionClass)];
  const suffix = catalog.protectionClasses.get(protectionClass)?.suffix ?? '';
  const prefix = `${RECORD_GRAPH_BASE}${dataset.id}/`;
  return (request.existingGraphs ?? []).filter((g) => g.startsWith(prefix) && /^\d{4}$/.test(g.slice(prefix.length).split('/')[0] ?? '') && g.endsWith(`/${suffix}`)).sort();
}

function decideDataset(ctx: Context, dataset: Dataset): DatasetDecision {
  const { catalog, regime, purpose } = ctx;
  const reasons: Reason[] = [];
  const out = (allowed: boolean, classes: ClassDecision[] = []): DatasetDecision => ({
    dataset: dataset.iri, allowed,
    graphs: allowed ? classes.filter((c) => c.allowed).flatMap((c) => classGraphs(ctx, dataset, c.protectionClass)) : [],
    classes, reasons,
  });
  const underRegime = catalog.datasetPurposes(dataset, regime);
  if (underRegime.length === 0) {
    reasons.push(reason(catalog, {
      code: 'dataset-has-no-purpose-under-regime', outcome: 'deny', dataset: dataset.iri, provision: dataset.legalBasis[0],
      message: `${label(catalog, dataset.iri)} has no purpose in force under ${catalog.regimes.get(regime)?.id ?? shorten(regime)}; it may not be processed for any purpose under it.`,
    }));
    return out(false);
  }
  if (!dataset.purposes.includes(purpose.iri)) {
    const grounds = [...new Set(underRegime.map((p) => groundUnder(ctx, catalog.purposes.get(p)!)).filter((p): p is string => !!p))];
    reasons.push(reason(catalog, {
      code: 'purpose-not-permitted', outcome: 'deny', dataset: dataset.iri, provision: grounds[0],
      message: `${label(catalog, dataset.iri)} is not processed for ${purpose.id}; under this regime it serves only ${underRegime.map((p) => catalog.purposes.get(p)?.id ?? shorten(p)).join(', ')}.`,
      fact: { subject: dataset.iri, predicate: dpv.hasPurpose, object: underRegime[0]! },
    }));
    return out(false);
  }
  reasons.push(reason(catalog, {
    code: 'dataset-lists-purpose', outcome: 'allow', dataset: dataset.iri, provision: groundUnder(ctx, purpose),
    message: `${label(catalog, dataset.iri)} is processed for ${purpose.id}.`,
    fact: { subject: dataset.iri, predicate: dpv.hasPurpose, object: purpose.iri },
  }));
  let channel: DisclosureChannel | undefined;
  if (ctx.agency !== dataset.controller) {
    channel = dataset.channels.find((ch) => ch.recipient === ctx.agency
      && (ch.purposes.length === 0 || ch.purposes.includes(purpose.iri))
      && ch.provisions.every((p) => provisionInForce(catalog, p, regime)));
    if (!channel) {
      const secrecy = dataset.secrecy.find((p) => provisionInForce(catalog, p, regime)) ?? dataset.secrecy[0];
      reasons.push(reason(catalog, {
        code: 'no-disclosure-channel', outcome: 'deny', dataset: dataset.iri, provision: secrecy,
        message: `${label(catalog, dataset.iri)} is controlled by ${dataset.controller ? catalog.label(dataset.controller) : 'another agency'}; no disclosure channel in the catalog (duty to supply or direct access) names ${ctx.agency ? catalog.label(ctx.agency) : 'the principal\'s agency'} as recipient for ${purpose.id}, so its secrecy applies.`,
      }));
      return out(false);
    }
    for (const provision of channel.provisions) {
      reasons.push(reason(catalog, {
        code: 'disclosure-channel', outcome: 'allow', dataset: dataset.iri, provision,
        message: `Disclosure channel ${channel.id} (${channel.kind ? catalog.label(channel.kind, 'en') : 'channel'}) lets ${catalog.label(ctx.agency!)} receive ${dataset.id} for ${purpose.id}.`,
        fact: { subject: channel.iri, predicate: dl.recipient, object: ctx.agency! },
      }));
    }
  }
  const classes = catalog.datasetClasses(dataset).map((pc) => decideClass(ctx, dataset, pc, classGraphs(ctx, dataset, pc), channel));
  return out(true, classes);
}

function decideSelection(ctx: Context, element: DataElement, dataset: DatasetDecision | undefined): Reason | undefined {
  const { catalog, regime, purpose } = ctx;
  if (element.sensitivity.length === 0 && element.revealsIndirectly.length === 0) return undefined;
  const pc = element.protectionClass ?? '';
  const rules = catalog.selectionRules.filter((r) => r.regime === regime && r.protectionClasses.includes(pc));
  const rule = rules.find((r) => ruleMatchesPurpose(r, purpose));
  if (rule) {
    const r = reason(catalog, {
      code: 'selection-permitted', outcome: 'allow', dataset: element.dataset, protectionClass: pc, provision: rule.provisions[0],
      message: `Selecting persons on ${element.id} of ${catalog.datasets.get(element.dataset)?.id} is permitted for ${purpose.id} by rule ${rule.id}.`,
      fact: { subject: rule.iri, predicate: dl.permitsPurposeKind, object: rule.purposeKinds.find((k) => purpose.kinds.includes(k)) ?? purpose.iri },
    });
    dataset?.reasons.push(r);
    return undefined;
  }
  const cited = rules[0]?.provisions[0] ?? catalog.selectionRules.find((r) => r.regime === regime)?.provisions[0] ?? catalog.selectionRules[0]?.provisions[0];
  return reason(catalog, {
    code: 'selection-on-sensitive-data', outcome: 'deny', dataset: element.dataset, protectionClass: pc, provision: cited,
    message: `The query selects persons on ${element.id} of ${catalog.datasets.get(element.dataset)?.id}, which reveals sensitive data; no selection rule of this regime permits that for ${purpose.id}.`,
  });
}

export const decide: Decide = (request, catalog) => {
  const base = { catalog, request };
  const regimeInfo = catalog.regimes.get(request.regime);
  if (!regimeInfo) {
    return deny(base, 'unknown-regime', 400, `Unknown regime ${request.regime}; use one of ${[...catalog.regimes.values()].map((r) => r.id).join(', ')}.`);
  }
  const day = request.time.toISOString().slice(0, 10);
  if ((regimeInfo.validFrom && day < regimeInfo.validFrom) || (regimeInfo.validUntil && day > regimeInfo.validUntil)) {
    return deny(base, 'regime-not-in-force', 403, `Regime ${regimeInfo.id} is not in force on ${day}.`);
  }
  const principal = request.principal ? catalog.principals.get(request.principal) : undefined;
  const role = principal?.role ? catalog.roles.get(principal.role) : undefined;
  const who = { principal: principal?.iri, agency: principal?.agency, role: role?.iri };

  if (!request.purpose) {
    if (request.datasetsNamed.length > 0) {
      return { ...deny(base, 'purpose-required', 400, `The query reaches record data (${request.datasetsNamed.map((d) => label(catalog, d)).join(', ')}); declare a purpose with the purpose parameter or the Datalyft-Purpose header.`), ...who };
    }
    return {
      allow: true, ...who, regime: request.regime, time: request.time.toISOString(), graphs: METADATA_GRAPHS, datasets: [],
      reasons: [{ code: 'public-metadata', outcome: 'allow', message: 'No purpose declared: the query runs on the public metadata graphs (ontology, catalog, shapes) only.' }],
      provisions: [], aggregatesOnly: false,
    };
  }

  if (!request.principal) return deny(base, 'authentication-required', 401, 'Record data need an authenticated principal: send Authorization: Bearer <token>.');
  if (!principal) return deny(base, 'unknown-principal', 401, `Principal ${request.principal} is not in the catalog.`);
  const purpose = catalog.purposes.get(request.purpose);
  if (!purpose) return { ...deny(base, 'unknown-purpose', 400, `Unknown purpose ${request.purpose}; GET /purposes lists them.`), ...who };
  if (!role || !role.mayDeclare.includes(purpose.iri)) {
    return {
      ...deny(base, 'purpose-not-held-by-role', 403, `Role ${role?.id ?? '(none)'} of ${principal.id} may not declare ${purpose.id}; access is limited to what each person needs for their tasks.`, {
        provision: catalog.resolve('provision', 'sfb-114-13'),
        fact: { subject: role?.iri ?? principal.iri, predicate: dl.mayDeclare, object: purpose.iri },
      }), ...who, purpose: purpose.iri,
    };
  }
  if (!purpose.regimes.includes(request.regime)) {
    const ground = purpose.groundedIn[0];
    const proposed = ground ? catalog.provisions.get(ground)?.proposed : false;
    return {
      ...deny(base, 'purpose-not-in-force', 403, `Purpose ${purpose.id} is not in force under ${regimeInfo.id}${proposed ? `: it rests on a proposal (${citationOf(catalog, ground)}) that is not enacted` : ''}.`, {
        provision: ground, fact: { subject: purpose.iri, predicate: dl.inRegime, object: purpose.regimes[0] ?? '' },
      }), ...who, purpose: purpose.iri,
    };
  }
  const ctx: Context = { request, catalog, purpose, regime: request.regime, agency: principal.agency };
  const reasons: Reason[] = [reason(catalog, {
    code: 'role-holds-purpose', outcome: 'allow', provision: groundUnder(ctx, purpose),
    message: `${principal.name} acts as ${role.id}, which may declare ${purpose.id}; the purpose is in force under ${regimeInfo.id}.`,
    fact: { subject: role.iri, predicate: dl.mayDeclare, object: purpose.iri },
  })];
  if (regimeInfo.isProposal) {
    reasons.push({ code: 'regime-is-proposal', outcome: 'info', message: `Decided under ${regimeInfo.id}, a proposal that is not enacted law.` });
  }
  const withWho = (d: Decision): Decision => ({ ...d, ...who, purpose: purpose.iri });

  if (purpose.kinds.includes(dl.ReportingKind)) {
    return withWho(deny(base, 'purpose-is-write-only', 403, `Purpose ${purpose.id} is for reporting records; it gives no read access.`, { provision: groundUnder(ctx, purpose) }));
  }
  const aggregatesOnly = purpose.kinds.includes(dl.StatisticsKind);
  if (aggregatesOnly && !request.aggregateOnly && !request.metadataOnly) {
    return withWho(deny(base, 'aggregates-only', 403, `Purpose ${purpose.id} is for statistics: the query must return aggregates only (COUNT, SUM, ... with GROUP BY), not individual rows.`, { provision: groundUnder(ctx, purpose) }));
  }

  const recordDatasets = [...catalog.datasets.values()].filter((d) => d.elements.length > 0);
  const decisions = new Map<string, DatasetDecision>();
  for (const dataset of recordDatasets) {
    const d = decideDataset(ctx, dataset);
    if (d.allowed || request.datasetsNamed.includes(dataset.iri)) decisions.set(dataset.iri, d);
  }

  const denials: Reason[] = [];
  for (const named of request.datasetsNamed) {
    const d = decisions.get(named);
    if (!d) {
      denials.push(reason(catalog, { code: 'unknown-dataset', outcome: 'deny', dataset: named, message: `The query names ${shorten(named)}, which is not a record dataset of the catalog.` }));
      continue;
    }
    if (!d.allowed) denials.push(...d.reasons.filter((r) => r.outcome === 'deny'));
  }
  for (const elementIri of request.elementsNamed ?? []) {
    const element = catalog.elements.get(elementIri);
    const d = element ? decisions.get(element.dataset) : undefined;
    if (!element || !d?.allowed) continue;
    const cls = d.classes.find((c) => c.protectionClass === element.protectionClass);
    if (cls && !cls.allowed) denials.push(...cls.reasons.filter((r) => r.outcome === 'deny').map((r) => ({ ...r, message: `${r.message} The query names its element ${element.id} (${shorten(element.predicate)}).` })));
  }
  for (const elementIri of request.selectionElements) {
    const element = catalog.elements.get(elementIri);
    if (!element) continue;
    const denied = decideSelection(ctx, element, decisions.get(element.dataset));
    if (denied) denials.push(denied);
  }

  const datasets = [...decisions.values()];
  const all = [...reasons, ...datasets.flatMap((d) => [...d.reasons, ...d.classes.flatMap((c) => c.reasons)]), ...denials];
  const provisions = [...new Set(all.map((r) => r.provision).filter((p): p is string => !!p))];
  if (denials.length > 0) {
    const first = denials[0]!;
    return {
      allow: false, code: first.code, status: first.code === 'unknown-dataset' ? 400 : 403, ...who, purpose: purpose.iri,
      regime: request.regime, time: request.time.toISOString(), graphs: [], datasets, reasons: [...reasons, ...denials],
      provisions, aggregatesOnly,
    };
  }
  return {
    allow: true, ...who, purpose: purpose.iri, regime: request.regime, time: request.time.toISOString(),
    graphs: [...METADATA_GRAPHS, ...new Set(datasets.flatMap((d) => d.graphs))],
    datasets, reasons, provisions, aggregatesOnly,
  };
};

/** Decide under several regimes and list what differs, for `explain` with regime=both. */
export function decideAcross(request: Omit<DecisionRequest, 'regime'>, regimes: string[], catalog: Catalog): { decisions: Record<string, Decision>; differences: string[] } {
  const decisions: Record<string, Decision> = {};
  for (const regime of regimes) decisions[regime] = decide({ ...request, regime }, catalog);
  const differences: string[] = [];
  const [a, b] = regimes.map((r) => decisions[r]!);
  if (a && b) {
    const ra = catalog.regimes.get(a.regime)?.id ?? a.regime;
    const rb = catalog.regimes.get(b.regime)?.id ?? b.regime;
    if (a.allow !== b.allow) differences.push(`The request is ${a.allow ? 'allowed' : `refused (${a.code})`} under ${ra} and ${b.allow ? 'allowed' : `refused (${b.code})`} under ${rb}.`);
    const graphsA = new Set(a.graphs);
    const graphsB = new Set(b.graphs);
    for (const g of graphsA) if (!graphsB.has(g)) differences.push(`${shorten(g)} is reachable under ${ra} only.`);
    for (const g of graphsB) if (!graphsA.has(g)) differences.push(`${shorten(g)} is reachable under ${rb} only.`);
  }
  return { decisions, differences };
}
