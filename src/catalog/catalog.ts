/**
 * The catalog: ontology/ and catalog/ read once into an index the API, the policy and the
 * ingest path share. No per-request scans of the graph: look-ups are Map gets.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { dcat, dct, dl, dpv, eli, foaf, rdf, rdfs, skos, RECORD_GRAPH_BASE } from '../rdf/namespaces.ts';
import { parseRdfFiles } from '../rdf/parse.ts';
import type {
  AccessRule, Agency, Concept, DataElement, Dataset, DisclosureChannel, LangText, Principal,
  ProtectionClass, Provision, Purpose, Regime, RetentionRule, Role,
} from './model.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CATALOG_PATHS = [path.join(REPO_ROOT, 'ontology', 'datalyft.ttl'), path.join(REPO_ROOT, 'catalog')];

export interface CatalogSource {
  /** Files or folders of Turtle to read; default: ontology/datalyft.ttl and catalog/. */
  paths?: string[];
}

/** Reads the quads of one graph; wraps an N3 store. */
class GraphReader {
  readonly store: N3.Store;
  constructor(quads: Quad[]) {
    this.store = new N3.Store(quads);
  }
  objects(subject: string, predicate: string): Term[] {
    return this.store.getObjects(subject, predicate, null) as Term[];
  }
  values(subject: string, predicate: string): string[] {
    return [...new Set(this.objects(subject, predicate).map((t) => t.value))].sort();
  }
  value(subject: string, predicate: string): string | undefined {
    return this.objects(subject, predicate)[0]?.value;
  }
  bool(subject: string, predicate: string): boolean {
    return this.value(subject, predicate) === 'true';
  }
  text(subject: string, predicate: string): LangText {
    const out: LangText = {};
    for (const t of this.objects(subject, predicate)) {
      if (t.termType !== 'Literal') continue;
      const lang = (t as { language: string }).language as 'sv' | 'en' | '';
      out[lang in out ? lang : lang] = out[lang] ?? t.value;
    }
    return out;
  }
  subjectsOfType(type: string): string[] {
    return [...new Set((this.store.getSubjects(rdf.type, type, null) as Term[]).filter((t) => t.termType === 'NamedNode').map((t) => t.value))].sort();
  }
  types(subject: string): string[] {
    return this.values(subject, rdf.type);
  }
}

function idOf(iri: string, reader: GraphReader): string {
  return reader.value(iri, dct.identifier) ?? iri.replace(/^.*[/#]/, '');
}

export class Catalog {
  readonly quads: Quad[];
  readonly reader: GraphReader;
  readonly regimes = new Map<string, Regime>();
  readonly provisions = new Map<string, Provision>();
  readonly purposes = new Map<string, Purpose>();
  readonly protectionClasses = new Map<string, ProtectionClass>();
  readonly datasets = new Map<string, Dataset>();
  readonly elements = new Map<string, DataElement>();
  readonly channels = new Map<string, DisclosureChannel>();
  readonly agencies = new Map<string, Agency>();
  readonly roles = new Map<string, Role>();
  readonly principals = new Map<string, Principal>();
  readonly accessRules: AccessRule[] = [];
  readonly selectionRules: AccessRule[] = [];
  readonly concepts = new Map<string, Concept>();
  readonly retentionRules = new Map<string, RetentionRule>();
  private readonly labels = new Map<string, string>();
  private readonly classesOf = new WeakMap<Dataset, string[]>();
  /** Which file states `?s rdf:type ?t` first: where a steward finds a subject. */
  readonly fileOf = new Map<string, string>();
  /** Record predicate → the datasets whose elements use it. */
  readonly datasetsByPredicate = new Map<string, string[]>();
  /** Record class → dataset. */
  readonly datasetByRecordClass = new Map<string, string>();
  private readonly ids = new Map<string, Map<string, string>>();

  constructor(quads: Quad[], fileOf: Map<string, string> = new Map()) {
    this.quads = quads;
    this.reader = new GraphReader(quads);
    this.fileOf = fileOf;
    this.build();
  }

  static async load(source: CatalogSource = {}): Promise<Catalog> {
    const sourced = await parseRdfFiles(source.paths ?? DEFAULT_CATALOG_PATHS);
    const fileOf = new Map<string, string>();
    const quads: Quad[] = [];
    for (const { file, quads: fileQuads } of sourced) {
      const relative = path.relative(REPO_ROOT, file);
      for (const q of fileQuads) {
        if (q.predicate.value === rdf.type && q.subject.termType === 'NamedNode' && !fileOf.has(q.subject.value)) fileOf.set(q.subject.value, relative);
        quads.push(q);
      }
    }
    return new Catalog(quads, fileOf);
  }

  private build(): void {
    const r = this.reader;
    for (const iri of r.subjectsOfType(dl.LegalRegime)) {
      this.regimes.set(iri, {
        iri, id: idOf(iri, r), label: r.text(iri, rdfs.label), description: r.text(iri, dct.description),
        isProposal: r.bool(iri, dl.isProposal), validFrom: r.value(iri, dl.validFrom), validUntil: r.value(iri, dl.validUntil),
        source: r.value(iri, dct.source),
      });
    }
    const provisionIris = new Set([
      ...r.subjectsOfType(dl.Provision), ...r.subjectsOfType(dl.ProposedProvision), ...r.subjectsOfType(dl.SecrecyProvision),
      ...r.subjectsOfType(dl.SecrecyBreaker), ...r.subjectsOfType(dl.Statute),
    ]);
    for (const iri of [...provisionIris].sort()) {
      const types = r.types(iri);
      const isSecrecy = types.includes(dl.SecrecyProvision);
      this.provisions.set(iri, {
        iri, id: idOf(iri, r), types,
        citation: r.value(iri, dl.citation) ?? idOf(iri, r),
        label: { ...r.text(iri, rdfs.label), ...r.text(iri, dct.title) },
        description: r.text(iri, dct.description), statuteText: r.text(iri, dl.statuteText),
        statute: r.value(iri, dl.statute), sfsNumber: r.value(iri, dl.sfsNumber), chapter: r.value(iri, dl.chapter),
        section: r.value(iri, dl.section), point: r.value(iri, dl.point), amendedBy: r.value(iri, dl.amendedBy),
        inForceFrom: r.value(iri, eli.first_date_entry_in_force), partOf: r.value(iri, eli.is_part_of),
        proposed: types.includes(dl.ProposedProvision), proposedIn: r.value(iri, dl.proposedIn),
        regimes: r.values(iri, dl.inRegime), source: r.values(iri, dct.source), seeAlso: r.values(iri, rdfs.seeAlso),
        secrecy: isSecrecy ? {
          damageTest: r.value(iri, dl.damageTest),
          maxYears: r.value(iri, dl.maxYears) === undefined ? undefined : Number(r.value(iri, dl.maxYears)),
          protectedInterests: r.values(iri, dl.protectedInterest), breakers: r.values(iri, dl.secrecyBreaker),
          notBrokenBy: r.values(iri, dl.notBrokenBy),
        } : undefined,
      });
    }
    for (const iri of r.subjectsOfType(dl.Purpose)) {
      this.purposes.set(iri, {
        iri, id: idOf(iri, r), label: r.text(iri, rdfs.label), description: r.text(iri, dct.description),
        kinds: r.values(iri, dl.purposeKind), groundedIn: r.values(iri, dl.groundedIn), regimes: r.values(iri, dl.inRegime),
      });
    }
    for (const iri of r.subjectsOfType(dl.ProtectionClass)) {
      this.protectionClasses.set(iri, {
        iri, suffix: r.value(iri, dl.graphSuffix) ?? iri.replace(/^.*[/#]/, ''),
        requiresRule: r.bool(iri, dl.requiresRule), label: r.text(iri, skos.prefLabel),
      });
    }
    for (const iri of r.subjectsOfType(dl.Agency)) {
      this.agencies.set(iri, { iri, id: idOf(iri, r), name: r.text(iri, foaf.name), orgNumber: r.value(iri, dl.orgNumber), homepage: r.value(iri, foaf.homepage) });
    }
    for (const iri of r.subjectsOfType(dl.Role)) {
      this.roles.set(iri, { iri, id: idOf(iri, r), label: r.text(iri, rdfs.label), agency: r.value(iri, dl.agency), mayDeclare: r.values(iri, dl.mayDeclare), mayWrite: r.values(iri, dl.mayWrite) });
    }
    for (const iri of r.subjectsOfType(dl.Principal)) {
      const role = r.value(iri, dl.role);
      this.principals.set(iri, {
        iri, id: idOf(iri, r), name: r.value(iri, foaf.name) ?? idOf(iri, r), role,
        agency: r.value(iri, dl.agency) ?? (role ? this.roles.get(role)?.agency : undefined),
      });
    }
    for (const [type, list, kind] of [[dl.AccessRule, this.accessRules, 'access'], [dl.SelectionRule, this.selectionRules, 'selection']] as const) {
      for (const iri of r.subjectsOfType(type)) {
        list.push({
          iri, id: idOf(iri, r), kind, comment: r.text(iri, rdfs.comment), regime: r.value(iri, dl.regime),
          protectionClasses: r.values(iri, dl.protectionClass), purposes: r.values(iri, dl.permitsPurpose),
          purposeKinds: r.values(iri, dl.permitsPurposeKind), requiresDatasetPurpose: r.values(iri, dl.requiresDatasetPurpose),
          controllerOnly: r.bool(iri, dl.controllerOnly), provisions: r.values(iri, dl.provision),
        });
      }
    }
    for (const iri of r.subjectsOfType(skos.Concept)) {
      if (r.types(iri).some((t) => t.startsWith(dl.$base))) continue; // enumerations of the ontology
      this.concepts.set(iri, {
        iri, id: idOf(iri, r), label: r.text(iri, skos.prefLabel), definition: r.text(iri, skos.definition),
        datatype: r.value(iri, dl.datatype), unit: r.value(iri, dl.unit), pattern: r.value(iri, dl.pattern),
        validator: r.value(iri, dl.validator), identifying: r.bool(iri, dl.identifying),
      });
    }
    for (const iri of r.subjectsOfType(dl.RetentionRule)) {
      this.retentionRules.set(iri, { iri, id: idOf(iri, r), label: r.text(iri, rdfs.label), kind: r.value(iri, dl.retentionKind), cycle: r.value(iri, dl.erasureCycle), provisions: r.values(iri, dl.provision) });
    }
    const writers = new Map<string, string[]>();
    for (const role of this.roles.values()) for (const ds of role.mayWrite) writers.set(ds, [...(writers.get(ds) ?? []), role.iri]);
    const datasetIris = new Set([...r.subjectsOfType(dcat.Dataset), ...r.subjectsOfType(dl.CoreDataset)]);
    for (const iri of [...datasetIris].sort()) {
      const id = idOf(iri, r);
      const elements: DataElement[] = r.values(iri, dl.hasElement).map((el) => ({
        iri: el, id: idOf(el, r), dataset: iri, label: r.text(el, rdfs.label), description: r.text(el, dct.description),
        predicate: r.value(el, dl.predicate) ?? '', datatype: r.value(el, dl.datatype), concept: r.value(el, dl.concept),
        protectionClass: r.value(el, dl.protectionClass), sensitivity: r.values(el, dl.sensitivity),
        revealsIndirectly: r.values(el, dl.revealsIndirectly), identifying: r.bool(el, dl.identifying), required: r.bool(el, dl.required),
        pattern: r.value(el, dl.pattern) ?? this.conceptValue(r.value(el, dl.concept), dl.pattern),
        validator: r.value(el, dl.validator) ?? this.conceptValue(r.value(el, dl.concept), dl.validator),
        unit: r.value(el, dl.unit) ?? this.conceptValue(r.value(el, dl.concept), dl.unit), codeList: r.value(el, dl.codeList),
        sourceDatasets: r.values(el, dl.sourceDataset),
      }));
      const channels: DisclosureChannel[] = r.values(iri, dl.disclosureChannel).map((ch) => ({
        iri: ch, id: idOf(ch, r), dataset: iri, kind: r.value(ch, dl.channelKind), recipient: r.value(ch, dl.recipient),
        purposes: r.values(ch, dl.forPurpose), provisions: r.values(ch, dl.provision),
        disclosesClasses: r.values(ch, dl.disclosesClass),
      }));
      const dataset: Dataset = {
        iri, id, types: r.types(iri), title: r.text(iri, dct.title), description: r.text(iri, dct.description),
        keywords: r.values(iri, dcat.keyword), themes: r.values(iri, dcat.theme), publisher: r.value(iri, dct.publisher),
        controller: r.value(iri, dpv.hasDataController), containsPersonalData: r.bool(iri, dl.containsPersonalData),
        legalBasis: r.values(iri, dl.legalBasis), purposes: r.values(iri, dpv.hasPurpose), secrecy: r.values(iri, dl.secrecy),
        retention: r.value(iri, dl.retention), recordClass: r.value(iri, dl.recordClass), sourceSystem: r.value(iri, dl.sourceSystem),
        sourceDatasets: r.values(iri, dl.sourceDataset), channels, elements,
        partitionedBy: r.value(iri, dl.partitionedBy), partitionElement: r.value(iri, dl.partitionElement),
        writers: (writers.get(iri) ?? []).sort(), file: this.fileOf.get(iri),
      };
      this.datasets.set(iri, dataset);
      for (const el of elements) {
        this.elements.set(el.iri, el);
        if (el.predicate) this.datasetsByPredicate.set(el.predicate, [...new Set([...(this.datasetsByPredicate.get(el.predicate) ?? []), iri])]);
      }
      for (const ch of channels) this.channels.set(ch.iri, ch);
      if (dataset.recordClass) this.datasetByRecordClass.set(dataset.recordClass, iri);
    }
    for (const [kind, map] of Object.entries({
      dataset: this.datasets, purpose: this.purposes, provision: this.provisions, regime: this.regimes, agency: this.agencies,
      role: this.roles, principal: this.principals, concept: this.concepts,
    } as Record<string, Map<string, { id: string }>>)) {
      const byId = new Map<string, string>();
      for (const [iri, item] of map) byId.set(item.id, iri);
      this.ids.set(kind, byId);
    }
  }

  private conceptValue(concept: string | undefined, predicate: string): string | undefined {
    return concept ? this.reader.value(concept, predicate) : undefined;
  }

  /** IRI of a thing given its short id or its IRI; undefined when unknown. */
  resolve(kind: 'dataset' | 'purpose' | 'provision' | 'regime' | 'agency' | 'role' | 'principal' | 'concept', idOrIri: string): string | undefined {
    const byId = this.ids.get(kind);
    if (!byId) return undefined;
    if (byId.has(idOrIri)) return byId.get(idOrIri);
    for (const iri of byId.values()) if (iri === idOrIri) return iri;
    return undefined;
  }

  dataset(idOrIri: string): Dataset | undefined {
    const iri = this.resolve('dataset', idOrIri);
    return iri ? this.datasets.get(iri) : undefined;
  }

  requireDataset(idOrIri: string): Dataset {
    const ds = this.dataset(idOrIri);
    if (!ds) throw new DatalyftError('dataset-not-found', `No dataset "${idOrIri}" in the catalog. GET /datasets lists them.`, { status: 404, where: { dataset: idOrIri } });
    return ds;
  }

  /** The regimes under which a purpose is in force. */
  purposeInForce(purpose: string, regime: string): boolean {
    return this.purposes.get(purpose)?.regimes.includes(regime) ?? false;
  }

  /** Purposes a dataset serves under a regime. */
  datasetPurposes(dataset: Dataset, regime: string): string[] {
    return dataset.purposes.filter((p) => this.purposeInForce(p, regime));
  }

  /** Named graph of a dataset's records of one protection class (and year, if partitioned). */
  graphFor(dataset: Dataset, protectionClass: string, year?: number | string): string {
    const suffix = this.protectionClasses.get(protectionClass)?.suffix;
    if (!suffix) throw new DatalyftError('unknown-protection-class', `Protection class ${protectionClass} is not defined in the ontology.`, { status: 500 });
    const partition = dataset.partitionedBy ? `/${year ?? 'unknown'}` : '';
    return `${RECORD_GRAPH_BASE}${dataset.id}${partition}/${suffix}`;
  }

  /** The protection classes a dataset's elements use. */
  datasetClasses(dataset: Dataset): string[] {
    let classes = this.classesOf.get(dataset);
    if (!classes) {
      classes = [...new Set(dataset.elements.map((e) => e.protectionClass).filter((c): c is string => !!c))].sort();
      this.classesOf.set(dataset, classes);
    }
    return [...classes];
  }

  /**
   * The label of anything in the catalog. Remembered: decide() asks for the labels of every
   * dataset it reasons about on every request, and the catalog does not change once read.
   */
  label(iri: string, lang: 'sv' | 'en' = 'sv'): string {
    const key = `${lang} ${iri}`;
    let label = this.labels.get(key);
    if (label === undefined) {
      label = this.readLabel(iri, lang);
      if (this.labels.size >= 50_000) this.labels.clear(); // bounded, whatever callers ask for
      this.labels.set(key, label);
    }
    return label;
  }

  private readLabel(iri: string, lang: 'sv' | 'en'): string {
    const r = this.reader;
    for (const p of [rdfs.label, dct.title, skos.prefLabel, foaf.name]) {
      const t = r.text(iri, p);
      const v = t[lang] ?? t[''] ?? t.sv ?? t.en;
      if (v) return v;
    }
    const provision = this.provisions.get(iri);
    if (provision) return provision.citation;
    return iri.replace(/^.*[/#]/, '');
  }
}
