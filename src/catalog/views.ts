/**
 * Plain-JSON views of catalog resources, for the API's application/json form and the HTML
 * pages: a dataset with its purposes per regime and the citations of its provisions, a
 * purpose with what it reaches under each regime, a provision with everything that cites it.
 * Built from the typed Catalog index; the reverse links (what cites a provision, which
 * datasets list a purpose) are indexed once per catalog.
 */
import { dct } from '../rdf/namespaces.ts';
import type { Catalog } from './catalog.ts';
import { dataportalPublisher } from './dcat-export.ts';
import type { AccessRule, Agency, Concept, DataElement, Dataset, DisclosureChannel, LangText, Provision, Purpose, Regime, RetentionRule, Role } from './model.ts';

export interface Ref {
  id: string;
  iri: string;
  label: LangText;
  /** Path of the resource in this API, where it has one. */
  href?: string;
  /** False when the IRI is referenced but not described in the catalog. */
  inCatalog?: boolean;
}

export interface TermRef {
  iri: string;
  label: LangText;
}

export interface ProvisionRef extends Ref {
  citation: string;
}

export interface RegimeRef extends Ref {
  isProposal: boolean;
}

export interface SecrecyView extends ProvisionRef {
  damageTest?: TermRef & { kind?: string };
  maxYears?: number;
  protectedInterests: TermRef[];
  breakers: ProvisionRef[];
  notBrokenBy: ProvisionRef[];
}

export interface DatasetSummary {
  id: string;
  iri: string;
  href: string;
  title: LangText;
  description: LangText;
  publisher?: Ref;
  controller?: Ref;
  containsPersonalData: boolean;
  keywords: string[];
  themes: string[];
  /** Purposes the dataset serves under each regime, by regime id. */
  purposesByRegime: Record<string, Ref[]>;
  secrecy: SecrecyView[];
}

export interface ElementView {
  id: string;
  iri: string;
  label: LangText;
  description: LangText;
  predicate: string;
  datatype?: string;
  concept?: Ref;
  protectionClass?: TermRef & { suffix?: string };
  /** Named graph the element's triples go to (with {year} where the dataset is partitioned). */
  graph?: string;
  sensitivity: TermRef[];
  revealsIndirectly: TermRef[];
  identifying: boolean;
  required: boolean;
  pattern?: string;
  validator?: TermRef;
  unit?: string;
  codeList?: string;
  sourceDatasets: Ref[];
}

export interface ChannelView {
  id: string;
  iri: string;
  kind?: TermRef;
  recipient?: Ref;
  purposes: Ref[];
  provisions: ProvisionRef[];
}

export interface GraphView {
  protectionClass: TermRef & { suffix?: string };
  requiresRule: boolean;
  graph: string;
  elements: string[];
}

export interface RetentionView {
  id: string;
  iri: string;
  label: LangText;
  kind?: TermRef;
  cycle?: string;
  provisions: ProvisionRef[];
}

export interface DatasetDetail extends DatasetSummary {
  types: string[];
  /** The catalog file that describes the dataset, relative to the repository. */
  file?: string;
  regimes: RegimeRef[];
  legalBasis: ProvisionRef[];
  retention?: RetentionView;
  recordClass?: string;
  sourceSystem?: string;
  sourceDatasets: Ref[];
  /** Datasets that name this one as a source. */
  feeds: Ref[];
  channels: ChannelView[];
  elements: ElementView[];
  graphs: GraphView[];
  partitionedBy?: TermRef;
  partitionElement?: string;
  writers: Ref[];
}

export interface RuleView {
  id: string;
  iri: string;
  kind: 'access' | 'selection';
  comment: LangText;
  regime?: RegimeRef;
  protectionClasses: TermRef[];
  purposes: Ref[];
  purposeKinds: TermRef[];
  requiresDatasetPurpose: Ref[];
  controllerOnly: boolean;
  provisions: ProvisionRef[];
}

export interface PurposeSummary extends Ref {
  href: string;
  description: LangText;
  kinds: TermRef[];
  groundedIn: ProvisionRef[];
  regimes: RegimeRef[];
  /** Number of datasets that list the purpose. */
  datasetCount: number;
}

export interface PurposeReach {
  regime: RegimeRef;
  inForce: boolean;
  /** Datasets the purpose reaches under the regime: those listing it, if it is in force there. */
  datasets: Ref[];
}

export interface PurposeDetail extends PurposeSummary {
  reach: PurposeReach[];
  /** Datasets whose dpv:hasPurpose lists the purpose, whatever the regime. */
  listedBy: Ref[];
  roles: (Ref & { agency?: Ref })[];
  channels: (Ref & { dataset: Ref; recipient?: Ref })[];
  rules: RuleView[];
  /** Datasets reached under one regime but not under another. */
  differences: { reachedUnder: string; notUnder: string; datasets: Ref[] }[];
}

export interface ProvisionSummary extends ProvisionRef {
  href: string;
  types: string[];
  sfsNumber?: string;
  proposed: boolean;
  proposedIn?: string;
  regimes: RegimeRef[];
  damageTest?: TermRef & { kind?: string };
}

export interface ProvisionDetail extends ProvisionSummary {
  description: LangText;
  statuteText: LangText;
  statute?: ProvisionRef;
  chapter?: string;
  section?: string;
  point?: string;
  amendedBy?: string;
  inForceFrom?: string;
  partOf?: ProvisionRef;
  parts: ProvisionRef[];
  links: string[];
  sources: string[];
  secrecy?: Omit<SecrecyView, keyof ProvisionRef>;
  citedBy: {
    datasetsLegalBasis: Ref[];
    datasetsSecrecy: Ref[];
    purposes: Ref[];
    rules: RuleView[];
    channels: (Ref & { dataset: Ref })[];
    retentionRules: Ref[];
    elements: (Ref & { dataset: Ref })[];
    /** Secrecy provisions this provision breaks (as a secrecy breaker). */
    breaks: ProvisionRef[];
  };
}

export interface RegimeView extends RegimeRef {
  href: string;
  description: LangText;
  validFrom?: string;
  validUntil?: string;
  source?: string;
  purposes: Ref[];
  datasetCount: number;
}

export interface AgencyView extends Ref {
  href: string;
  orgNumber?: string;
  homepage?: string;
  /** The dataportal.se publisher IRI, where the organisation number is known. */
  dataportalPublisher?: string;
  published: Ref[];
  controlled: Ref[];
  receives: Ref[];
}

export interface ConceptView extends Ref {
  href: string;
  definition: LangText;
  datatype?: string;
  unit?: string;
  pattern?: string;
  identifying: boolean;
  /** The elements mapped to the concept, with their dataset. */
  elements: (Ref & { dataset: Ref; datatype?: string; unit?: string })[];
  datasetCount: number;
}

interface CrossIndex {
  datasetsByPurpose: Map<string, Dataset[]>;
  legalBasisOf: Map<string, Dataset[]>;
  secrecyOf: Map<string, Dataset[]>;
  purposesByProvision: Map<string, Purpose[]>;
  rulesByProvision: Map<string, AccessRule[]>;
  rulesByPurpose: Map<string, AccessRule[]>;
  channelsByProvision: Map<string, DisclosureChannel[]>;
  channelsByPurpose: Map<string, DisclosureChannel[]>;
  channelsByRecipient: Map<string, DisclosureChannel[]>;
  retentionByProvision: Map<string, RetentionRule[]>;
  elementsBySource: Map<string, DataElement[]>;
  elementsByConcept: Map<string, DataElement[]>;
  partsOf: Map<string, Provision[]>;
  breaks: Map<string, Provision[]>;
  rolesByPurpose: Map<string, Role[]>;
  feeds: Map<string, Dataset[]>;
}

const crossCache = new WeakMap<Catalog, CrossIndex>();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function cross(catalog: Catalog): CrossIndex {
  const cached = crossCache.get(catalog);
  if (cached) return cached;
  const x: CrossIndex = {
    datasetsByPurpose: new Map(), legalBasisOf: new Map(), secrecyOf: new Map(), purposesByProvision: new Map(),
    rulesByProvision: new Map(), rulesByPurpose: new Map(), channelsByProvision: new Map(), channelsByPurpose: new Map(),
    channelsByRecipient: new Map(), retentionByProvision: new Map(), elementsBySource: new Map(), elementsByConcept: new Map(),
    partsOf: new Map(), breaks: new Map(), rolesByPurpose: new Map(), feeds: new Map(),
  };
  const datasets = [...catalog.datasets.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const ds of datasets) {
    for (const p of ds.purposes) push(x.datasetsByPurpose, p, ds);
    for (const p of ds.legalBasis) push(x.legalBasisOf, p, ds);
    for (const p of ds.secrecy) push(x.secrecyOf, p, ds);
    for (const src of ds.sourceDatasets) push(x.feeds, src, ds);
    for (const ch of ds.channels) {
      for (const p of ch.provisions) push(x.channelsByProvision, p, ch);
      for (const p of ch.purposes) push(x.channelsByPurpose, p, ch);
      if (ch.recipient) push(x.channelsByRecipient, ch.recipient, ch);
    }
    for (const el of ds.elements) {
      if (el.concept) push(x.elementsByConcept, el.concept, el);
      for (const src of catalog.reader.values(el.iri, dct.source)) push(x.elementsBySource, src, el);
    }
  }
  for (const p of catalog.purposes.values()) for (const pr of p.groundedIn) push(x.purposesByProvision, pr, p);
  for (const rule of [...catalog.accessRules, ...catalog.selectionRules]) {
    for (const pr of rule.provisions) push(x.rulesByProvision, pr, rule);
    for (const p of rule.purposes) push(x.rulesByPurpose, p, rule);
  }
  for (const rr of catalog.retentionRules.values()) for (const pr of rr.provisions) push(x.retentionByProvision, pr, rr);
  for (const pr of catalog.provisions.values()) {
    if (pr.partOf) push(x.partsOf, pr.partOf, pr);
    for (const b of pr.secrecy?.breakers ?? []) push(x.breaks, b, pr);
  }
  for (const role of catalog.roles.values()) for (const p of role.mayDeclare) push(x.rolesByPurpose, p, role);
  crossCache.set(catalog, x);
  return x;
}

const tail = (iri: string): string => iri.replace(/^.*[/#]/, '');

function labelText(catalog: Catalog, iri: string): LangText {
  const sv = catalog.label(iri, 'sv');
  const en = catalog.label(iri, 'en');
  return sv === en ? { en } : { sv, en };
}

export function termRef(catalog: Catalog, iri: string): TermRef {
  return { iri, label: labelText(catalog, iri) };
}

export function datasetRef(catalog: Catalog, iri: string): Ref {
  const ds = catalog.datasets.get(iri);
  if (!ds) return { id: tail(iri), iri, label: { en: tail(iri) }, inCatalog: false };
  return { id: ds.id, iri, label: ds.title, href: `/datasets/${encodeURIComponent(ds.id)}` };
}

export function purposeRef(catalog: Catalog, iri: string): Ref {
  const p = catalog.purposes.get(iri);
  if (!p) return { id: tail(iri), iri, label: { en: tail(iri) }, inCatalog: false };
  return { id: p.id, iri, label: p.label, href: `/purposes/${encodeURIComponent(p.id)}` };
}

export function provisionRef(catalog: Catalog, iri: string): ProvisionRef {
  const p = catalog.provisions.get(iri);
  if (!p) return { id: tail(iri), iri, citation: tail(iri), label: { en: tail(iri) }, inCatalog: false };
  return { id: p.id, iri, citation: p.citation, label: p.label, href: `/provisions/${encodeURIComponent(p.id)}` };
}

export function regimeRef(catalog: Catalog, iri: string): RegimeRef {
  const r = catalog.regimes.get(iri);
  if (!r) return { id: tail(iri), iri, label: { en: tail(iri) }, isProposal: false, inCatalog: false };
  return { id: r.id, iri, label: r.label, isProposal: r.isProposal, href: `/regimes/${encodeURIComponent(r.id)}` };
}

export function agencyRef(catalog: Catalog, iri: string): Ref {
  const a = catalog.agencies.get(iri);
  if (!a) return { id: tail(iri), iri, label: { en: tail(iri) }, inCatalog: false };
  return { id: a.id, iri, label: a.name, href: `/agencies/${encodeURIComponent(a.id)}` };
}

export function conceptRef(catalog: Catalog, iri: string): Ref {
  const c = catalog.concepts.get(iri);
  if (!c) return { id: tail(iri), iri, label: labelText(catalog, iri), inCatalog: false };
  return { id: c.id, iri, label: c.label, href: `/concepts/${encodeURIComponent(c.id)}` };
}

function roleRef(catalog: Catalog, role: Role): Ref & { agency?: Ref } {
  return { id: role.id, iri: role.iri, label: role.label, ...(role.agency ? { agency: agencyRef(catalog, role.agency) } : {}) };
}

/** The damage test's short kind (`straight`, `reverse`, ...), as the secrecy facet names it. */
const DAMAGE_KIND: Record<string, string> = {
  StraightDamageTest: 'straight', QualifiedStraightDamageTest: 'qualified-straight', ReverseDamageTest: 'reverse', AbsoluteSecrecy: 'absolute',
};

function secrecyView(catalog: Catalog, iri: string): SecrecyView {
  const p = catalog.provisions.get(iri);
  const s = p?.secrecy;
  return {
    ...provisionRef(catalog, iri),
    ...(s?.damageTest ? { damageTest: { ...termRef(catalog, s.damageTest), kind: DAMAGE_KIND[tail(s.damageTest)] } } : {}),
    ...(s?.maxYears !== undefined ? { maxYears: s.maxYears } : {}),
    protectedInterests: (s?.protectedInterests ?? []).map((i) => termRef(catalog, i)),
    breakers: (s?.breakers ?? []).map((b) => provisionRef(catalog, b)),
    notBrokenBy: (s?.notBrokenBy ?? []).map((b) => provisionRef(catalog, b)),
  };
}

export function purposesByRegime(catalog: Catalog, ds: Dataset): Record<string, Ref[]> {
  const out: Record<string, Ref[]> = {};
  for (const regime of catalog.regimes.values()) out[regime.id] = catalog.datasetPurposes(ds, regime.iri).map((p) => purposeRef(catalog, p));
  return out;
}

export function datasetSummary(catalog: Catalog, ds: Dataset): DatasetSummary {
  return {
    id: ds.id, iri: ds.iri, href: `/datasets/${encodeURIComponent(ds.id)}`, title: ds.title, description: ds.description,
    ...(ds.publisher ? { publisher: agencyRef(catalog, ds.publisher) } : {}),
    ...(ds.controller ? { controller: agencyRef(catalog, ds.controller) } : {}),
    containsPersonalData: ds.containsPersonalData, keywords: ds.keywords, themes: ds.themes,
    purposesByRegime: purposesByRegime(catalog, ds),
    secrecy: ds.secrecy.map((s) => secrecyView(catalog, s)),
  };
}

function elementView(catalog: Catalog, ds: Dataset, el: DataElement): ElementView {
  const cls = el.protectionClass ? catalog.protectionClasses.get(el.protectionClass) : undefined;
  return {
    id: el.id, iri: el.iri, label: el.label, description: el.description, predicate: el.predicate,
    ...(el.datatype ? { datatype: el.datatype } : {}),
    ...(el.concept ? { concept: conceptRef(catalog, el.concept) } : {}),
    ...(el.protectionClass ? { protectionClass: { ...termRef(catalog, el.protectionClass), ...(cls ? { suffix: cls.suffix } : {}) } } : {}),
    ...(cls ? { graph: catalog.graphFor(ds, cls.iri, '{year}') } : {}),
    sensitivity: el.sensitivity.map((s) => termRef(catalog, s)),
    revealsIndirectly: el.revealsIndirectly.map((s) => termRef(catalog, s)),
    identifying: el.identifying, required: el.required,
    ...(el.pattern ? { pattern: el.pattern } : {}),
    ...(el.validator ? { validator: termRef(catalog, el.validator) } : {}),
    ...(el.unit ? { unit: el.unit } : {}),
    ...(el.codeList ? { codeList: el.codeList } : {}),
    sourceDatasets: el.sourceDatasets.map((d) => datasetRef(catalog, d)),
  };
}

function channelView(catalog: Catalog, ch: DisclosureChannel): ChannelView {
  return {
    id: ch.id, iri: ch.iri,
    ...(ch.kind ? { kind: termRef(catalog, ch.kind) } : {}),
    ...(ch.recipient ? { recipient: agencyRef(catalog, ch.recipient) } : {}),
    purposes: ch.purposes.map((p) => purposeRef(catalog, p)),
    provisions: ch.provisions.map((p) => provisionRef(catalog, p)),
  };
}

export function retentionView(catalog: Catalog, iri: string): RetentionView {
  const rr = catalog.retentionRules.get(iri);
  return {
    id: rr?.id ?? tail(iri), iri, label: rr?.label ?? { en: tail(iri) },
    ...(rr?.kind ? { kind: termRef(catalog, rr.kind) } : {}),
    ...(rr?.cycle ? { cycle: rr.cycle } : {}),
    provisions: (rr?.provisions ?? []).map((p) => provisionRef(catalog, p)),
  };
}

export function datasetDetail(catalog: Catalog, ds: Dataset): DatasetDetail {
  const graphs: GraphView[] = catalog.datasetClasses(ds).map((clsIri) => {
    const cls = catalog.protectionClasses.get(clsIri);
    return {
      protectionClass: { ...termRef(catalog, clsIri), ...(cls ? { suffix: cls.suffix } : {}) },
      requiresRule: cls?.requiresRule ?? false,
      graph: cls ? catalog.graphFor(ds, clsIri, '{year}') : '',
      elements: ds.elements.filter((e) => e.protectionClass === clsIri).map((e) => e.id),
    };
  });
  return {
    ...datasetSummary(catalog, ds),
    types: ds.types,
    ...(ds.file ? { file: ds.file } : {}),
    regimes: [...catalog.regimes.keys()].map((r) => regimeRef(catalog, r)),
    legalBasis: ds.legalBasis.map((p) => provisionRef(catalog, p)),
    ...(ds.retention ? { retention: retentionView(catalog, ds.retention) } : {}),
    ...(ds.recordClass ? { recordClass: ds.recordClass } : {}),
    ...(ds.sourceSystem ? { sourceSystem: ds.sourceSystem } : {}),
    sourceDatasets: ds.sourceDatasets.map((d) => datasetRef(catalog, d)),
    feeds: (cross(catalog).feeds.get(ds.iri) ?? []).map((d) => datasetRef(catalog, d.iri)),
    channels: ds.channels.map((ch) => channelView(catalog, ch)),
    elements: ds.elements.map((el) => elementView(catalog, ds, el)),
    graphs,
    ...(ds.partitionedBy ? { partitionedBy: termRef(catalog, ds.partitionedBy) } : {}),
    ...(ds.partitionElement ? { partitionElement: ds.partitionElement } : {}),
    writers: ds.writers.map((w) => {
      const role = catalog.roles.get(w);
      return role ? roleRef(catalog, role) : { id: tail(w), iri: w, label: { en: tail(w) }, inCatalog: false };
    }),
  };
}

function ruleView(catalog: Catalog, rule: AccessRule): RuleView {
  return {
    id: rule.id, iri: rule.iri, kind: rule.kind, comment: rule.comment,
    ...(rule.regime ? { regime: regimeRef(catalog, rule.regime) } : {}),
    protectionClasses: rule.protectionClasses.map((c) => termRef(catalog, c)),
    purposes: rule.purposes.map((p) => purposeRef(catalog, p)),
    purposeKinds: rule.purposeKinds.map((k) => termRef(catalog, k)),
    requiresDatasetPurpose: rule.requiresDatasetPurpose.map((p) => purposeRef(catalog, p)),
    controllerOnly: rule.controllerOnly,
    provisions: rule.provisions.map((p) => provisionRef(catalog, p)),
  };
}

export function purposeSummary(catalog: Catalog, p: Purpose): PurposeSummary {
  return {
    id: p.id, iri: p.iri, href: `/purposes/${encodeURIComponent(p.id)}`, label: p.label, description: p.description,
    kinds: p.kinds.map((k) => termRef(catalog, k)),
    groundedIn: p.groundedIn.map((g) => provisionRef(catalog, g)),
    regimes: p.regimes.map((r) => regimeRef(catalog, r)),
    datasetCount: (cross(catalog).datasetsByPurpose.get(p.iri) ?? []).length,
  };
}

export function purposeDetail(catalog: Catalog, p: Purpose): PurposeDetail {
  const x = cross(catalog);
  const listing = x.datasetsByPurpose.get(p.iri) ?? [];
  const reach: PurposeReach[] = [...catalog.regimes.values()].map((r: Regime) => {
    const inForce = catalog.purposeInForce(p.iri, r.iri);
    const reached = listing.filter((ds) => catalog.datasetPurposes(ds, r.iri).includes(p.iri));
    return { regime: regimeRef(catalog, r.iri), inForce, datasets: reached.map((ds) => datasetRef(catalog, ds.iri)) };
  });
  const differences: PurposeDetail['differences'] = [];
  for (const a of reach) {
    for (const b of reach) {
      if (a === b) continue;
      const other = new Set(b.datasets.map((d) => d.iri));
      const only = a.datasets.filter((d) => !other.has(d.iri));
      if (only.length > 0) differences.push({ reachedUnder: a.regime.id, notUnder: b.regime.id, datasets: only });
    }
  }
  return {
    ...purposeSummary(catalog, p),
    reach,
    listedBy: listing.map((ds) => datasetRef(catalog, ds.iri)),
    roles: (x.rolesByPurpose.get(p.iri) ?? []).map((role) => roleRef(catalog, role)),
    channels: (x.channelsByPurpose.get(p.iri) ?? []).map((ch) => ({
      id: ch.id, iri: ch.iri, label: { en: ch.id }, dataset: datasetRef(catalog, ch.dataset),
      ...(ch.recipient ? { recipient: agencyRef(catalog, ch.recipient) } : {}),
    })),
    rules: (x.rulesByPurpose.get(p.iri) ?? []).map((rule) => ruleView(catalog, rule)),
    differences,
  };
}

export function provisionSummary(catalog: Catalog, p: Provision): ProvisionSummary {
  const s = secrecyView(catalog, p.iri);
  return {
    ...provisionRef(catalog, p.iri), href: `/provisions/${encodeURIComponent(p.id)}`, types: p.types,
    ...(p.sfsNumber ? { sfsNumber: p.sfsNumber } : {}),
    proposed: p.proposed,
    ...(p.proposedIn ? { proposedIn: p.proposedIn } : {}),
    regimes: p.regimes.map((r) => regimeRef(catalog, r)),
    ...(s.damageTest ? { damageTest: s.damageTest } : {}),
  };
}

export function provisionDetail(catalog: Catalog, p: Provision): ProvisionDetail {
  const x = cross(catalog);
  const secrecy = p.secrecy ? secrecyView(catalog, p.iri) : undefined;
  return {
    ...provisionSummary(catalog, p),
    description: p.description, statuteText: p.statuteText,
    ...(p.statute ? { statute: provisionRef(catalog, p.statute) } : {}),
    ...(p.chapter ? { chapter: p.chapter } : {}),
    ...(p.section ? { section: p.section } : {}),
    ...(p.point ? { point: p.point } : {}),
    ...(p.amendedBy ? { amendedBy: p.amendedBy } : {}),
    ...(p.inForceFrom ? { inForceFrom: p.inForceFrom } : {}),
    ...(p.partOf ? { partOf: provisionRef(catalog, p.partOf) } : {}),
    parts: (x.partsOf.get(p.iri) ?? []).map((part) => provisionRef(catalog, part.iri)),
    links: p.seeAlso, sources: p.source,
    ...(secrecy ? {
      secrecy: {
        ...(secrecy.damageTest ? { damageTest: secrecy.damageTest } : {}),
        ...(secrecy.maxYears !== undefined ? { maxYears: secrecy.maxYears } : {}),
        protectedInterests: secrecy.protectedInterests, breakers: secrecy.breakers, notBrokenBy: secrecy.notBrokenBy,
      },
    } : {}),
    citedBy: {
      datasetsLegalBasis: (x.legalBasisOf.get(p.iri) ?? []).map((ds) => datasetRef(catalog, ds.iri)),
      datasetsSecrecy: (x.secrecyOf.get(p.iri) ?? []).map((ds) => datasetRef(catalog, ds.iri)),
      purposes: (x.purposesByProvision.get(p.iri) ?? []).map((pu) => purposeRef(catalog, pu.iri)),
      rules: (x.rulesByProvision.get(p.iri) ?? []).map((rule) => ruleView(catalog, rule)),
      channels: (x.channelsByProvision.get(p.iri) ?? []).map((ch) => ({ id: ch.id, iri: ch.iri, label: { en: ch.id }, dataset: datasetRef(catalog, ch.dataset) })),
      retentionRules: (x.retentionByProvision.get(p.iri) ?? []).map((rr) => ({ id: rr.id, iri: rr.iri, label: rr.label })),
      elements: (x.elementsBySource.get(p.iri) ?? []).map((el) => ({ id: el.id, iri: el.iri, label: el.label, dataset: datasetRef(catalog, el.dataset) })),
      breaks: (x.breaks.get(p.iri) ?? []).map((s) => provisionRef(catalog, s.iri)),
    },
  };
}

export function regimeView(catalog: Catalog, r: Regime): RegimeView {
  const purposes = [...catalog.purposes.values()].filter((p) => p.regimes.includes(r.iri));
  const datasetCount = [...catalog.datasets.values()].filter((ds) => catalog.datasetPurposes(ds, r.iri).length > 0).length;
  return {
    ...regimeRef(catalog, r.iri), href: `/regimes/${encodeURIComponent(r.id)}`, description: r.description,
    ...(r.validFrom ? { validFrom: r.validFrom } : {}),
    ...(r.validUntil ? { validUntil: r.validUntil } : {}),
    ...(r.source ? { source: r.source } : {}),
    purposes: purposes.map((p) => purposeRef(catalog, p.iri)),
    datasetCount,
  };
}

export function agencyView(catalog: Catalog, a: Agency): AgencyView {
  const datasets = [...catalog.datasets.values()].sort((x, y) => x.id.localeCompare(y.id));
  const publisher = dataportalPublisher(a);
  return {
    ...agencyRef(catalog, a.iri), href: `/agencies/${encodeURIComponent(a.id)}`,
    ...(a.orgNumber ? { orgNumber: a.orgNumber } : {}),
    ...(a.homepage ? { homepage: a.homepage } : {}),
    ...(publisher ? { dataportalPublisher: publisher } : {}),
    published: datasets.filter((ds) => ds.publisher === a.iri).map((ds) => datasetRef(catalog, ds.iri)),
    controlled: datasets.filter((ds) => ds.controller === a.iri).map((ds) => datasetRef(catalog, ds.iri)),
    receives: [...new Set((cross(catalog).channelsByRecipient.get(a.iri) ?? []).map((ch) => ch.dataset))].map((d) => datasetRef(catalog, d)),
  };
}

/** A concept for lists: without its elements, with the counts. */
export function conceptSummary(catalog: Catalog, c: Concept): Omit<ConceptView, 'elements'> & { elementCount: number } {
  const { elements, ...rest } = conceptView(catalog, c);
  return { ...rest, elementCount: elements.length };
}

export function conceptView(catalog: Catalog, c: Concept): ConceptView {
  const elements = cross(catalog).elementsByConcept.get(c.iri) ?? [];
  return {
    ...conceptRef(catalog, c.iri), href: `/concepts/${encodeURIComponent(c.id)}`, definition: c.definition,
    ...(c.datatype ? { datatype: c.datatype } : {}),
    ...(c.unit ? { unit: c.unit } : {}),
    ...(c.pattern ? { pattern: c.pattern } : {}),
    identifying: c.identifying,
    elements: elements.map((el) => ({
      id: el.id, iri: el.iri, label: el.label, dataset: datasetRef(catalog, el.dataset),
      ...(el.datatype ? { datatype: el.datatype } : {}),
      ...(el.unit ? { unit: el.unit } : {}),
    })),
    datasetCount: new Set(elements.map((el) => el.dataset)).size,
  };
}
