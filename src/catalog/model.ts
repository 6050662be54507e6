/** Typed view of the catalog graph. Everything here is read from catalog/ and ontology/. */
export type LangText = Partial<Record<'sv' | 'en' | '', string>>;

export interface Regime {
  iri: string;
  id: string;
  label: LangText;
  description: LangText;
  isProposal: boolean;
  validFrom?: string;
  validUntil?: string;
  source?: string;
}

export interface SecrecyInfo {
  damageTest?: string;
  maxYears?: number;
  protectedInterests: string[];
  breakers: string[];
  notBrokenBy: string[];
}

export interface Provision {
  iri: string;
  id: string;
  types: string[];
  citation: string;
  label: LangText;
  description: LangText;
  statuteText: LangText;
  statute?: string;
  sfsNumber?: string;
  chapter?: string;
  section?: string;
  point?: string;
  amendedBy?: string;
  inForceFrom?: string;
  partOf?: string;
  proposed: boolean;
  proposedIn?: string;
  regimes: string[];
  source: string[];
  seeAlso: string[];
  /** Present when the provision is a secrecy provision. */
  secrecy?: SecrecyInfo;
}

export interface Purpose {
  iri: string;
  id: string;
  label: LangText;
  description: LangText;
  kinds: string[];
  groundedIn: string[];
  regimes: string[];
}

export interface ProtectionClass {
  iri: string;
  suffix: string;
  requiresRule: boolean;
  label: LangText;
}

export interface DataElement {
  iri: string;
  id: string;
  dataset: string;
  label: LangText;
  description: LangText;
  predicate: string;
  datatype?: string;
  concept?: string;
  protectionClass?: string;
  sensitivity: string[];
  revealsIndirectly: string[];
  identifying: boolean;
  required: boolean;
  pattern?: string;
  validator?: string;
  unit?: string;
  codeList?: string;
  sourceDatasets: string[];
}

export interface DisclosureChannel {
  iri: string;
  id: string;
  dataset: string;
  kind?: string;
  recipient?: string;
  purposes: string[];
  provisions: string[];
  /** Protection classes needing a rule that the channel may carry to the recipient. */
  disclosesClasses: string[];
}

export interface Dataset {
  iri: string;
  id: string;
  types: string[];
  title: LangText;
  description: LangText;
  keywords: string[];
  themes: string[];
  publisher?: string;
  controller?: string;
  containsPersonalData: boolean;
  legalBasis: string[];
  purposes: string[];
  secrecy: string[];
  retention?: string;
  recordClass?: string;
  sourceSystem?: string;
  sourceDatasets: string[];
  channels: DisclosureChannel[];
  elements: DataElement[];
  partitionedBy?: string;
  partitionElement?: string;
  /** Roles that may write records into the dataset. */
  writers: string[];
  /** The catalog file that describes the dataset, relative to the repository. */
  file?: string;
}

export interface Agency {
  iri: string;
  id: string;
  name: LangText;
  orgNumber?: string;
  homepage?: string;
}

export interface Role {
  iri: string;
  id: string;
  label: LangText;
  agency?: string;
  mayDeclare: string[];
  mayWrite: string[];
}

export interface Principal {
  iri: string;
  id: string;
  name: string;
  role?: string;
  agency?: string;
}

export interface AccessRule {
  iri: string;
  id: string;
  kind: 'access' | 'selection';
  comment: LangText;
  regime?: string;
  protectionClasses: string[];
  purposes: string[];
  purposeKinds: string[];
  requiresDatasetPurpose: string[];
  controllerOnly: boolean;
  provisions: string[];
}

export interface Concept {
  iri: string;
  id: string;
  label: LangText;
  definition: LangText;
  datatype?: string;
  unit?: string;
  pattern?: string;
  validator?: string;
  identifying: boolean;
}

export interface RetentionRule {
  iri: string;
  id: string;
  label: LangText;
  kind?: string;
  cycle?: string;
  provisions: string[];
}
