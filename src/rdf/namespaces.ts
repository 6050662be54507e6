/**
 * IRIs through namespace objects, so a typo in a term is a compile error. The terms
 * listed are those the code interprets; the catalog may use any term of these vocabularies.
 */
function namespace<const T extends readonly string[]>(base: string, terms: T): { readonly [K in T[number]]: string } & { readonly $base: string } {
  const out: Record<string, string> = { $base: base };
  for (const term of terms) out[term] = base + term;
  return out as { readonly [K in T[number]]: string } & { readonly $base: string };
}

export const DL_BASE = 'https://w3id.org/datalyft/';

export const dl = namespace('https://w3id.org/datalyft/ns#', [
  'Agency', 'orgNumber', 'Role', 'agency', 'mayDeclare', 'mayWrite', 'Principal', 'role',
  'Statute', 'Provision', 'ProposedProvision', 'SecrecyProvision', 'SecrecyBreaker', 'statute',
  'sfsNumber', 'chapter', 'section', 'point', 'paragraph', 'amendedBy', 'statuteText', 'citation',
  'proposedIn', 'LegalRegime', 'includesProvision', 'isProposal', 'validFrom', 'validUntil',
  'DamageTest', 'StraightDamageTest', 'QualifiedStraightDamageTest', 'ReverseDamageTest', 'AbsoluteSecrecy',
  'damageTest', 'protectedInterest', 'maxYears', 'secrecyBreaker', 'notBrokenBy',
  'Purpose', 'groundedIn', 'inRegime', 'purposeKind',
  'CaseHandlingKind', 'ControlKind', 'AnalysisSelectionKind', 'StatisticsKind', 'SupervisionKind',
  'InformationKind', 'PlanningKind', 'DisclosureKind', 'FurtherProcessingKind', 'BroadKind', 'ReportingKind',
  'ProtectionClass', 'graphSuffix', 'requiresRule',
  'BasicPersonalData', 'HealthData', 'OtherSpecialCategoryData', 'IndirectlySensitiveData',
  'AnalysisSelectionResult', 'NonPersonalData',
  'AccessRule', 'protectionClass', 'permitsPurpose', 'permitsPurposeKind', 'requiresDatasetPurpose',
  'controllerOnly', 'SelectionRule', 'provision', 'regime',
  'CoreDataset', 'containsPersonalData', 'legalBasis', 'secrecy', 'secrecyUnder', 'retention',
  'RetentionRule', 'retentionKind', 'PurposeDrivenErasure', 'FixedCycleErasure', 'erasureCycle',
  'partitionedBy', 'ByYear', 'partitionElement',
  'DisclosureChannel', 'disclosureChannel', 'channelKind', 'DutyToSupply', 'DirectAccess', 'ElectronicDisclosure',
  'recipient', 'forPurpose', 'disclosesClass', 'sourceDataset', 'sourceSystem', 'recordClass',
  'DataElement', 'hasElement', 'predicate', 'datatype', 'concept', 'sensitivity', 'revealsIndirectly',
  'identifying', 'required', 'pattern', 'codeList', 'unit', 'validator',
  'PersonnummerCheck', 'OrganisationsnummerCheck', 'SkolenhetskodCheck',
  'AuditEntry', 'auditSeq', 'decision', 'decisionCode', 'reason', 'reasonCode', 'outcome', 'permittedGraph',
  'transactionId', 'queryHash', 'queryText', 'resultRows', 'truncated', 'entryHash', 'previousHash',
] as const);

export const dcat = namespace('http://www.w3.org/ns/dcat#', [
  'Catalog', 'Dataset', 'Distribution', 'DataService', 'dataset', 'distribution', 'keyword', 'theme',
  'contactPoint', 'landingPage', 'accessURL', 'downloadURL', 'endpointURL', 'servesDataset', 'mediaType',
  'CatalogRecord',
] as const);

export const dct = namespace('http://purl.org/dc/terms/', [
  'identifier', 'title', 'description', 'publisher', 'creator', 'source', 'issued', 'modified',
  'language', 'license', 'accessRights', 'spatial', 'temporal', 'accrualPeriodicity', 'conformsTo',
  'format', 'rights', 'type', 'subject', 'hasPart', 'isPartOf', 'provenance', 'relation',
] as const);

export const dpv = namespace('https://w3id.org/dpv#', [
  'hasPurpose', 'hasLegalBasis', 'hasDataController', 'hasRecipient', 'Purpose',
] as const);

export const eli = namespace('http://data.europa.eu/eli/ontology#', [
  'LegalResource', 'LegalResourceSubdivision', 'is_part_of', 'first_date_entry_in_force', 'date_document',
] as const);

export const prov = namespace('http://www.w3.org/ns/prov#', [
  'Activity', 'Agent', 'Entity', 'wasAssociatedWith', 'used', 'startedAtTime', 'endedAtTime',
  'wasGeneratedBy', 'wasDerivedFrom', 'qualifiedAssociation', 'hadRole', 'hadPlan', 'agent', 'atTime',
  'wasInformedBy', 'Plan', 'Association', 'generated',
] as const);

export const rdf = namespace('http://www.w3.org/1999/02/22-rdf-syntax-ns#', ['type', 'Property', 'langString'] as const);
export const rdfs = namespace('http://www.w3.org/2000/01/rdf-schema#', ['label', 'comment', 'seeAlso', 'Class', 'Datatype', 'subClassOf'] as const);
export const skos = namespace('http://www.w3.org/2004/02/skos/core#', [
  'Concept', 'ConceptScheme', 'prefLabel', 'altLabel', 'definition', 'inScheme', 'notation',
] as const);
export const foaf = namespace('http://xmlns.com/foaf/0.1/', ['name', 'homepage', 'Organization', 'Agent'] as const);
export const xsd = namespace('http://www.w3.org/2001/XMLSchema#', [
  'string', 'boolean', 'integer', 'decimal', 'date', 'dateTime', 'gYear', 'gYearMonth', 'duration', 'double',
] as const);
export const sh = namespace('http://www.w3.org/ns/shacl#', [
  'NodeShape', 'PropertyShape', 'Violation', 'Warning', 'Info', 'ValidationReport', 'ValidationResult',
  'conforms', 'result', 'focusNode', 'resultPath', 'resultMessage', 'resultSeverity', 'sourceShape',
  'sourceConstraintComponent', 'value', 'message', 'severity', 'property', 'path',
] as const);

/** Prefixes used when writing Turtle and compacting JSON-LD for people to read. */
export const PREFIXES: Record<string, string> = {
  dl: dl.$base,
  dlds: `${DL_BASE}dataset/`,
  dlel: `${DL_BASE}element/`,
  dlpu: `${DL_BASE}purpose/`,
  dlpr: `${DL_BASE}provision/`,
  dlrg: `${DL_BASE}regime/`,
  dlag: `${DL_BASE}agency/`,
  dlro: `${DL_BASE}role/`,
  dlpi: `${DL_BASE}principal/`,
  dlch: `${DL_BASE}channel/`,
  dlret: `${DL_BASE}retention/`,
  dlru: `${DL_BASE}rule/`,
  dlc: `${DL_BASE}concept/`,
  dlt: `${DL_BASE}term#`,
  dlg: `${DL_BASE}graph/`,
  dcat: dcat.$base,
  dct: dct.$base,
  dpv: dpv.$base,
  pd: 'https://w3id.org/dpv/pd#',
  eli: eli.$base,
  prov: prov.$base,
  skos: skos.$base,
  foaf: foaf.$base,
  rdf: rdf.$base,
  rdfs: rdfs.$base,
  xsd: xsd.$base,
  owl: 'http://www.w3.org/2002/07/owl#',
  sh: sh.$base,
};

/** Named graphs of public metadata. */
export const GRAPHS = {
  ontology: `${DL_BASE}graph/ontology`,
  catalog: `${DL_BASE}graph/catalog`,
  shapes: `${DL_BASE}graph/shapes`,
} as const;

export const RECORD_GRAPH_BASE = `${DL_BASE}graph/`;
export const DATASET_BASE = `${DL_BASE}dataset/`;

/** Shortens an IRI with the known prefixes, for messages people read. */
export function shorten(iri: string): string {
  let best: [string, string] | undefined;
  for (const [prefix, base] of Object.entries(PREFIXES)) {
    if (iri.startsWith(base) && (!best || base.length > best[1].length)) best = [prefix, base];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : `<${iri}>`;
}
