/**
 * The interoperability report: how far FK's and PM's datasets speak the same language, as
 * a pure function of the catalog. It is the progress measure for the SOU 2025:108 plan for
 * full internal interoperability of core data.
 *
 *  - Coverage: per dataset, per agency (controller) and overall, the share of data elements
 *    mapped to a shared concept (`dl:concept` naming a concept the catalog defines).
 *  - Conflicts: the same concept defined differently — an element whose `dl:datatype`,
 *    `dl:unit` or `dl:codeList` differs from the concept's canonical one or, where the
 *    concept states none, from what the other elements of the concept use.
 *  - Join paths: pairs of datasets that share an identifying concept (`dl:identifying`),
 *    and, per regime, the purposes under which such a join is lawful. The law is data here
 *    too: lawfulness is what `decide()` says for the catalog's principals whose role may
 *    declare the purpose — the dataset lists the purpose under the regime, the joining
 *    elements' protection classes are open to it, and a dataset of another controller
 *    reaches the principal's agency only through a disclosure channel.
 *
 * The result is plain data whose keys read as JSON-LD under `INTEROP_CONTEXT` (IRIs in
 * `id`, `concept`, `purpose`, `regime` ...), so the same object is the JSON and JSON-LD form.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Concept, DataElement, Dataset, LangText } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { decide } from '../policy/decide.ts';
import type { DecisionRequest } from '../policy/types.ts';
import { CONTEXT_URL } from '../rdf/jsonld.ts';
import { dl, shorten } from '../rdf/namespaces.ts';

export const REPORT_VOCAB = 'https://w3id.org/datalyft/report#';

/** The JSON-LD context of the report: ours, plus report terms (IRI-valued ones typed @id). */
export const INTEROP_CONTEXT: unknown[] = [CONTEXT_URL, {
  '@vocab': REPORT_VOCAB,
  regime: { '@id': `${REPORT_VOCAB}regime`, '@type': '@id' },
  agencies: { '@id': `${REPORT_VOCAB}agencies`, '@type': '@id', '@container': '@set' },
  agency: { '@id': `${REPORT_VOCAB}agency`, '@type': '@id' },
  dataset: { '@id': `${REPORT_VOCAB}dataset`, '@type': '@id' },
  elementIri: { '@id': `${REPORT_VOCAB}elementIri`, '@type': '@id' },
  elementIris: { '@id': `${REPORT_VOCAB}elementIris`, '@type': '@id', '@container': '@set' },
}];

export type ConflictAspect = 'datatype' | 'unit' | 'codeList';
const ASPECTS: ConflictAspect[] = ['datatype', 'unit', 'codeList'];

export interface InteropOptions {
  /** When the join decisions are taken (a regime's validity depends on it). Default: now. */
  time?: Date;
}

export interface RegimeCount {
  regime: string;
  regimeId: string;
  count: number;
}

export interface Coverage {
  elements: number;
  /** Elements mapped to a concept the catalog defines. */
  mapped: number;
  /** mapped / elements, rounded to 4 decimals (0 when there are no elements). */
  share: number;
}

export interface DatasetInterop extends Coverage {
  id: string;
  identifier: string;
  title: LangText;
  controller?: string;
  controllerId?: string;
  /** Elements without a shared concept (their short ids). */
  unmapped: string[];
  /** Elements naming a concept that the catalog does not define (counted as unmapped). */
  unknownConcepts: { elementIri: string; elementId: string; concept: string }[];
  conflicts: number;
  joinPaths: number;
  lawfulJoinPaths: RegimeCount[];
}

export interface AgencyInterop extends Coverage {
  id: string;
  identifier: string;
  name: string;
  datasets: number;
  conflicts: number;
  /** Join paths with at least one dataset of the agency. */
  joinPaths: number;
  /** Join paths between two datasets of the agency: its internal interoperability. */
  internalJoinPaths: number;
  /** Join paths of the agency lawful for at least one purpose at the agency itself, per regime. */
  lawfulJoinPaths: RegimeCount[];
  /** Internal join paths lawful for at least one purpose at the agency itself, per regime. */
  lawfulInternalJoinPaths: RegimeCount[];
}

export interface ConflictSide {
  kind: 'concept' | 'element';
  /** The concept whose definition states the value (kind concept). */
  concept?: string;
  conceptId?: string;
  /** The element that states the value (kind element). */
  elementIri?: string;
  elementId?: string;
  dataset?: string;
  datasetId?: string;
  value: string;
}

export interface Conflict {
  concept: string;
  conceptId: string;
  aspect: ConflictAspect;
  /** The element that deviates. */
  elementIri: string;
  elementId: string;
  dataset: string;
  datasetId: string;
  value: string;
  /** What it deviates from: the concept's canonical value, or the other elements' value. */
  against: ConflictSide;
  /** An element of another dataset that follows the value deviated from, where there is one. */
  example?: ConflictSide;
  message: string;
}

export interface LawfulPurpose {
  purpose: string;
  purposeId: string;
  /** Agencies whose principals may make the join (the principal's agency matters for channels). */
  agencies: string[];
  agencyIds: string[];
  /** A statistics purpose: the join may only feed aggregates. */
  aggregatesOnly: boolean;
}

export interface LawfulUnderRegime {
  regime: string;
  regimeId: string;
  purposes: LawfulPurpose[];
}

export interface JoinSide {
  id: string;
  identifier: string;
  controller?: string;
  controllerId?: string;
  /** The elements of the dataset mapped to the joining concept (IRIs). */
  elementIris: string[];
}

export interface JoinPath {
  concept: string;
  conceptId: string;
  from: JoinSide;
  to: JoinSide;
  crossAgency: boolean;
  lawful: LawfulUnderRegime[];
}

/**
 * Datasets that principals of one agency may join with each other on one concept, for one
 * purpose under one regime: every pair of them is a lawful join path. The groups of a
 * concept are a complete and compact statement of which of its join paths are lawful.
 */
export interface JoinGroup {
  regime: string;
  regimeId: string;
  purpose: string;
  purposeId: string;
  agency: string;
  agencyId: string;
  aggregatesOnly: boolean;
  /** Dataset ids, at least two. */
  datasets: string[];
}

export interface JoinConcept {
  concept: string;
  conceptId: string;
  label: LangText;
  /** Datasets with an element mapped to the concept (their ids). */
  datasets: string[];
  joinPaths: number;
  lawfulJoinPaths: RegimeCount[];
  lawfulGroups: JoinGroup[];
}

export interface InteropSummary extends Coverage {
  datasets: number;
  conflicts: number;
  conflictsByAspect: Record<ConflictAspect, number>;
  identifyingConcepts: number;
  joinPaths: number;
  lawfulJoinPaths: RegimeCount[];
}

export interface InteropReport {
  type: 'InteroperabilityReport';
  /** The time the join decisions were taken at. */
  decidedAt: string;
  regimes: { regime: string; regimeId: string; isProposal: boolean; label: LangText }[];
  summary: InteropSummary;
  agencies: AgencyInterop[];
  datasets: DatasetInterop[];
  conflicts: Conflict[];
  joinConcepts: JoinConcept[];
  joinPaths: JoinPath[];
  /** Things the report could not judge (e.g. a role without a principal to decide for). */
  notes: string[];
  /** Present when the report was narrowed to one dataset or concept. */
  filter?: { datasetId?: string; conceptId?: string };
}

function share(mapped: number, total: number): number {
  return total === 0 ? 0 : Math.round((mapped / total) * 10000) / 10000;
}

/** Language-tagged text with only language keys JSON-LD accepts in a language map. */
function langText(t: LangText): LangText {
  const out: LangText = {};
  if (t.sv) out.sv = t.sv;
  if (t.en) out.en = t.en;
  return out;
}

function idOf(catalog: Catalog, iri: string | undefined): string | undefined {
  if (!iri) return undefined;
  return catalog.agencies.get(iri)?.id ?? catalog.datasets.get(iri)?.id ?? iri.replace(/^.*[/#]/, '');
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Regimes, today's law first. */
function orderedRegimes(catalog: Catalog): { iri: string; id: string; isProposal: boolean; label: LangText }[] {
  return [...catalog.regimes.values()]
    .sort((a, b) => Number(a.isProposal) - Number(b.isProposal) || a.id.localeCompare(b.id))
    .map((r) => ({ iri: r.iri, id: r.id, isProposal: r.isProposal, label: r.label }));
}

// ------------------------------------------------------------------ conflicts

function aspectOf(element: DataElement, aspect: ConflictAspect): string | undefined {
  return aspect === 'datatype' ? element.datatype : aspect === 'unit' ? element.unit : element.codeList;
}

function canonicalOf(catalog: Catalog, concept: Concept, aspect: ConflictAspect): string | undefined {
  if (aspect === 'datatype') return concept.datatype;
  if (aspect === 'unit') return concept.unit;
  return catalog.reader.value(concept.iri, dl.codeList);
}

/** A value for a message: IRIs shortened with the known prefixes (xsd:decimal). */
function show(value: string): string {
  return /^https?:/.test(value) ? shorten(value) : value;
}

function findConflicts(catalog: Catalog, elementsByConcept: Map<string, DataElement[]>): Conflict[] {
  const conflicts: Conflict[] = [];
  const ds = (e: DataElement) => catalog.datasets.get(e.dataset)!;
  const side = (e: DataElement, value: string): ConflictSide => ({ kind: 'element', elementIri: e.iri, elementId: e.id, dataset: e.dataset, datasetId: ds(e).id, value });
  for (const [conceptIri, elements] of elementsByConcept) {
    const concept = catalog.concepts.get(conceptIri)!;
    for (const aspect of ASPECTS) {
      const stated = elements.filter((e) => aspectOf(e, aspect) !== undefined);
      const canonical = canonicalOf(catalog, concept, aspect);
      let reference: string | undefined = canonical;
      if (reference === undefined) {
        // No canonical value: the value most elements use (ties: the first in order) is the reference.
        const counts = new Map<string, number>();
        for (const e of stated) counts.set(aspectOf(e, aspect)!, (counts.get(aspectOf(e, aspect)!) ?? 0) + 1);
        if (counts.size < 2) continue;
        reference = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      }
      for (const e of stated) {
        const value = aspectOf(e, aspect)!;
        if (value === reference) continue;
        // An element (of another dataset, if there is one) that follows the reference value.
        const follows = (o: DataElement) => o !== e && (aspectOf(o, aspect) ?? canonical) === reference;
        const follower = elements.find((o) => follows(o) && o.dataset !== e.dataset) ?? elements.find(follows);
        const against: ConflictSide = canonical !== undefined || !follower
          ? { kind: 'concept', concept: concept.iri, conceptId: concept.id, value: reference }
          : side(follower, reference);
        const conflict: Conflict = {
          concept: concept.iri, conceptId: concept.id, aspect,
          elementIri: e.iri, elementId: e.id, dataset: e.dataset, datasetId: ds(e).id, value,
          against,
          message: canonical !== undefined
            ? `${ds(e).id}/${e.id} has ${aspect} ${show(value)}, but concept ${concept.id} defines ${show(reference)}.`
            : `${ds(e).id}/${e.id} has ${aspect} ${show(value)}, but ${against.datasetId}/${against.elementId} (and most elements of ${concept.id}) have ${show(reference)}.`,
        };
        if (against.kind === 'concept' && follower) conflict.example = side(follower, reference);
        conflicts.push(conflict);
      }
    }
  }
  return conflicts.sort((a, b) => a.conceptId.localeCompare(b.conceptId) || a.aspect.localeCompare(b.aspect) || a.datasetId.localeCompare(b.datasetId) || a.elementId.localeCompare(b.elementId));
}

// ------------------------------------------------------------------ lawful joins

/**
 * For every regime, purpose and catalog principal whose role may declare the purpose: the
 * data elements the principal may reach for it, as decide() judges. A join of A and B on
 * elements eA, eB is lawful for that principal exactly when decide() allows a request naming
 * A and B and the elements eA and eB: both datasets allowed and both elements' classes open.
 * Deciding once per principal (naming no dataset) and looking pairs up gives the same answer
 * without a decide() call per pair (test/interop checks the two agree).
 */
interface Reach {
  purpose: string;
  agency?: string;
  aggregatesOnly: boolean;
  elements: Set<string>;
}

function reachOf(catalog: Catalog, regime: string, time: Date, notes: string[]): Map<string, Reach[]> {
  const byPurpose = new Map<string, Reach[]>();
  const principalsByRole = new Map<string, string[]>();
  for (const p of catalog.principals.values()) if (p.role) principalsByRole.set(p.role, [...(principalsByRole.get(p.role) ?? []), p.iri]);
  for (const role of [...catalog.roles.values()].sort(byId)) {
    const principals = principalsByRole.get(role.iri) ?? [];
    if (principals.length === 0) {
      if (role.mayDeclare.length > 0) notes.push(`Role ${role.id} has no principal in the catalog; joins it could make are not judged.`);
      continue;
    }
    for (const purpose of role.mayDeclare) {
      for (const principal of principals) {
        const request: DecisionRequest = {
          principal, purpose, regime, time, datasetsNamed: [], selectionElements: [], aggregateOnly: true, metadataOnly: false,
        };
        const decision = decide(request, catalog);
        if (!decision.allow) continue;
        const elements = new Set<string>();
        for (const d of decision.datasets) {
          if (!d.allowed) continue;
          const open = new Set(d.classes.filter((c) => c.allowed).map((c) => c.protectionClass));
          const closed = new Set(d.classes.filter((c) => !c.allowed).map((c) => c.protectionClass));
          for (const e of catalog.datasets.get(d.dataset)?.elements ?? []) {
            if (!e.protectionClass || open.has(e.protectionClass) || !closed.has(e.protectionClass)) elements.add(e.iri);
          }
        }
        const list = byPurpose.get(purpose) ?? [];
        list.push({ purpose, agency: decision.agency, aggregatesOnly: decision.aggregatesOnly, elements });
        byPurpose.set(purpose, list);
      }
    }
  }
  return byPurpose;
}

// ------------------------------------------------------------------ the report

export function buildInteropReport(catalog: Catalog, options: InteropOptions = {}): InteropReport {
  const time = options.time ?? new Date();
  const notes: string[] = [];
  const regimes = orderedRegimes(catalog);
  const datasets = [...catalog.datasets.values()].sort(byId);

  const elementsByConcept = new Map<string, DataElement[]>();
  for (const ds of datasets) {
    for (const e of ds.elements) {
      if (!e.concept || !catalog.concepts.has(e.concept)) continue;
      elementsByConcept.set(e.concept, [...(elementsByConcept.get(e.concept) ?? []), e]);
    }
  }

  const conflicts = findConflicts(catalog, elementsByConcept);

  // Join paths: every unordered pair of datasets sharing an identifying concept.
  const reach = new Map(regimes.map((r) => [r.iri, reachOf(catalog, r.iri, time, notes)] as const));
  const purposeOrder = [...catalog.purposes.values()].sort(byId);
  const joinPaths: JoinPath[] = [];
  const identifying = [...catalog.concepts.values()].filter((c) => c.identifying).sort(byId);
  for (const concept of identifying) {
    const elements = elementsByConcept.get(concept.iri) ?? [];
    const byDataset = new Map<string, DataElement[]>();
    for (const e of elements) byDataset.set(e.dataset, [...(byDataset.get(e.dataset) ?? []), e]);
    const members = [...byDataset.keys()].map((iri) => catalog.datasets.get(iri)!).sort(byId);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i]!;
        const b = members[j]!;
        const ea = byDataset.get(a.iri)!;
        const eb = byDataset.get(b.iri)!;
        const lawful = regimes.map((r): LawfulUnderRegime => {
          const purposes: LawfulPurpose[] = [];
          const perPurpose = reach.get(r.iri)!;
          for (const p of purposeOrder) {
            const agencies = new Set<string>();
            let aggregatesOnly = true;
            for (const x of perPurpose.get(p.iri) ?? []) {
              if (!ea.some((e) => x.elements.has(e.iri)) || !eb.some((e) => x.elements.has(e.iri))) continue;
              if (x.agency) agencies.add(x.agency);
              aggregatesOnly &&= x.aggregatesOnly;
            }
            if (agencies.size === 0) continue;
            const list = [...agencies].sort();
            purposes.push({ purpose: p.iri, purposeId: p.id, agencies: list, agencyIds: list.map((ag) => idOf(catalog, ag)!), aggregatesOnly });
          }
          return { regime: r.iri, regimeId: r.id, purposes };
        });
        const sideOf = (ds: Dataset, els: DataElement[]): JoinSide => ({
          id: ds.iri, identifier: ds.id,
          ...(ds.controller ? { controller: ds.controller, controllerId: idOf(catalog, ds.controller)! } : {}),
          elementIris: els.map((e) => e.iri),
        });
        joinPaths.push({
          concept: concept.iri, conceptId: concept.id, from: sideOf(a, ea), to: sideOf(b, eb),
          crossAgency: a.controller !== b.controller, lawful,
        });
      }
    }
  }

  const regimeCounts = (paths: JoinPath[], lawfulIn: (p: JoinPath, r: LawfulUnderRegime) => boolean = (_p, r) => r.purposes.length > 0): RegimeCount[] =>
    regimes.map((r) => ({
      regime: r.iri, regimeId: r.id,
      count: paths.filter((p) => lawfulIn(p, p.lawful.find((l) => l.regime === r.iri)!)).length,
    }));
  const involves = (p: JoinPath, dataset: string) => p.from.id === dataset || p.to.id === dataset;

  const coverage = (items: Dataset[]): Coverage => {
    const elements = items.reduce((n, ds) => n + ds.elements.length, 0);
    const mapped = items.reduce((n, ds) => n + ds.elements.filter((e) => e.concept && catalog.concepts.has(e.concept)).length, 0);
    return { elements, mapped, share: share(mapped, elements) };
  };

  const datasetRows: DatasetInterop[] = datasets.map((ds) => {
    const paths = joinPaths.filter((p) => involves(p, ds.iri));
    return {
      id: ds.iri, identifier: ds.id, title: langText(ds.title),
      ...(ds.controller ? { controller: ds.controller, controllerId: idOf(catalog, ds.controller)! } : {}),
      ...coverage([ds]),
      unmapped: ds.elements.filter((e) => !e.concept || !catalog.concepts.has(e.concept)).map((e) => e.id),
      unknownConcepts: ds.elements.filter((e) => e.concept && !catalog.concepts.has(e.concept)).map((e) => ({ elementIri: e.iri, elementId: e.id, concept: e.concept! })),
      conflicts: conflicts.filter((c) => c.dataset === ds.iri).length,
      joinPaths: paths.length,
      lawfulJoinPaths: regimeCounts(paths),
    };
  });

  const controllers = [...new Set(datasets.map((ds) => ds.controller).filter((c): c is string => !!c))];
  const agencyRows: AgencyInterop[] = controllers.map((agency) => {
    const own = datasets.filter((ds) => ds.controller === agency);
    const ownIris = new Set(own.map((ds) => ds.iri));
    const paths = joinPaths.filter((p) => ownIris.has(p.from.id) || ownIris.has(p.to.id));
    const internal = paths.filter((p) => ownIris.has(p.from.id) && ownIris.has(p.to.id));
    const atAgency = (_p: JoinPath, r: LawfulUnderRegime) => r.purposes.some((x) => x.agencies.includes(agency));
    return {
      id: agency, identifier: idOf(catalog, agency)!, name: catalog.label(agency),
      datasets: own.length, ...coverage(own),
      conflicts: conflicts.filter((c) => ownIris.has(c.dataset)).length,
      joinPaths: paths.length,
      internalJoinPaths: internal.length,
      lawfulJoinPaths: regimeCounts(paths, atAgency),
      lawfulInternalJoinPaths: regimeCounts(internal, atAgency),
    };
  }).sort((a, b) => b.datasets - a.datasets || a.identifier.localeCompare(b.identifier));

  const joinConcepts: JoinConcept[] = identifying.map((c) => {
    const paths = joinPaths.filter((p) => p.concept === c.iri);
    const elements = elementsByConcept.get(c.iri) ?? [];
    const lawfulGroups: JoinGroup[] = [];
    for (const r of regimes) {
      for (const p of purposeOrder) {
        const byAgency = new Map<string, { datasets: Set<string>; aggregatesOnly: boolean }>();
        for (const x of reach.get(r.iri)!.get(p.iri) ?? []) {
          if (!x.agency) continue;
          const group = byAgency.get(x.agency) ?? { datasets: new Set<string>(), aggregatesOnly: x.aggregatesOnly };
          for (const e of elements) if (x.elements.has(e.iri)) group.datasets.add(catalog.datasets.get(e.dataset)!.id);
          byAgency.set(x.agency, group);
        }
        for (const [agency, group] of [...byAgency.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
          if (group.datasets.size < 2) continue;
          lawfulGroups.push({
            regime: r.iri, regimeId: r.id, purpose: p.iri, purposeId: p.id, agency, agencyId: idOf(catalog, agency)!,
            aggregatesOnly: group.aggregatesOnly, datasets: [...group.datasets].sort(),
          });
        }
      }
    }
    return {
      concept: c.iri, conceptId: c.id, label: langText(c.label),
      datasets: [...new Set(elements.map((e) => catalog.datasets.get(e.dataset)!.id))].sort(),
      joinPaths: paths.length, lawfulJoinPaths: regimeCounts(paths), lawfulGroups,
    };
  });

  const conflictsByAspect = { datatype: 0, unit: 0, codeList: 0 } as Record<ConflictAspect, number>;
  for (const c of conflicts) conflictsByAspect[c.aspect] += 1;

  return {
    type: 'InteroperabilityReport',
    decidedAt: time.toISOString(),
    regimes: regimes.map((r) => ({ regime: r.iri, regimeId: r.id, isProposal: r.isProposal, label: langText(r.label) })),
    summary: {
      datasets: datasets.length, ...coverage(datasets), conflicts: conflicts.length, conflictsByAspect,
      identifyingConcepts: identifying.length, joinPaths: joinPaths.length, lawfulJoinPaths: regimeCounts(joinPaths),
    },
    agencies: agencyRows,
    datasets: datasetRows,
    conflicts,
    joinConcepts,
    joinPaths,
    notes: [...new Set(notes)],
  };
}

export interface InteropFilter {
  /** Dataset id or IRI: its row, the conflicts it is part of, its join concepts and join paths. */
  dataset?: string;
  /** Concept id or IRI: its conflicts, its join concept and join paths. */
  concept?: string;
  /** List every join path even when nothing narrows the report (there are thousands). */
  allPaths?: boolean;
}

/** What the endpoint and the command show: the report, narrowed, join paths listed when asked for. */
export type InteropView = Omit<InteropReport, 'joinPaths'> & {
  joinPaths?: JoinPath[];
  /** Why the join paths are not listed, and how to list them. */
  joinPathsOmitted?: string;
};

/**
 * The report narrowed to one dataset and/or one identifying concept; the summary and the
 * agency rows stay overall. Unnarrowed, the pairwise join paths (thousands in the real
 * catalog) are left out unless `allPaths`: the join concepts' lawful groups say the same.
 */
export function viewInteropReport(report: InteropReport, catalog: Catalog, filter: InteropFilter = {}): InteropView {
  const narrowed = narrowInteropReport(report, catalog, filter);
  if (narrowed.filter || filter.allPaths) return narrowed;
  const { joinPaths, ...rest } = narrowed;
  return {
    ...rest,
    joinPathsOmitted: `${joinPaths.length} join paths are not listed: narrow with dataset=<id> or concept=<id>, or ask for paths=all. Each join concept's lawfulGroups lists the datasets principals of one agency may join for one purpose; every pair within a group is a lawful join path.`,
  };
}

function narrowInteropReport(report: InteropReport, catalog: Catalog, filter: InteropFilter): InteropReport {
  let out = report;
  const applied: { datasetId?: string; conceptId?: string } = {};
  if (filter.dataset) {
    const ds = catalog.requireDataset(filter.dataset);
    applied.datasetId = ds.id;
    out = {
      ...out,
      datasets: out.datasets.filter((d) => d.id === ds.iri),
      conflicts: out.conflicts.filter((c) => c.dataset === ds.iri || c.against.dataset === ds.iri),
      joinConcepts: out.joinConcepts.filter((c) => c.datasets.includes(ds.id)),
      joinPaths: out.joinPaths.filter((p) => p.from.id === ds.iri || p.to.id === ds.iri),
    };
  }
  if (filter.concept) {
    const iri = catalog.resolve('concept', filter.concept);
    if (!iri) {
      throw new DatalyftError('concept-not-found', `No concept "${filter.concept}" in the catalog. GET /concepts lists them.`, { status: 404, where: { concept: filter.concept } });
    }
    applied.conceptId = catalog.concepts.get(iri)!.id;
    out = {
      ...out,
      conflicts: out.conflicts.filter((c) => c.concept === iri),
      joinConcepts: out.joinConcepts.filter((c) => c.concept === iri),
      joinPaths: out.joinPaths.filter((p) => p.concept === iri),
    };
  }
  return Object.keys(applied).length > 0 ? { ...out, filter: applied } : out;
}

/** The report as JSON-LD: the same object, with the context and an @id. */
export function interopJsonld(report: InteropView, id: string): Record<string, unknown> {
  return { '@context': INTEROP_CONTEXT, id, ...report };
}
