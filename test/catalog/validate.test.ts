import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli.ts';
import { RECOMMENDED_SHAPES, VIOLATION_SHAPES, validateCatalog, type ValidationReport, type ValidationResult } from '../../src/catalog/validate.ts';

const PREFIXES = `@prefix dl:   <https://w3id.org/datalyft/ns#> .
@prefix dlds: <https://w3id.org/datalyft/dataset/> .
@prefix dlel: <https://w3id.org/datalyft/element/> .
@prefix dlpu: <https://w3id.org/datalyft/purpose/> .
@prefix dlpr: <https://w3id.org/datalyft/provision/> .
@prefix dlrg: <https://w3id.org/datalyft/regime/> .
@prefix dlag: <https://w3id.org/datalyft/agency/> .
@prefix dlch: <https://w3id.org/datalyft/channel/> .
@prefix dlret: <https://w3id.org/datalyft/retention/> .
@prefix dlc:  <https://w3id.org/datalyft/concept/> .
@prefix dlt:  <https://w3id.org/datalyft/term#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dpv:  <https://w3id.org/dpv#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
`;

/** A dataset that passes every shape; `omit` drops lines, `add` appends statements. */
function dataset(id: string, options: { omit?: RegExp[]; add?: string; elements?: number } = {}): string {
  const count = options.elements ?? 5;
  const elements = Array.from({ length: count }, (_, i) => `dlel:${id}-e${i}`);
  const body = [
    `dlds:${id} a dcat:Dataset , dl:CoreDataset ;`,
    `    dct:identifier "${id}" ;`,
    `    dct:title "Testdatamängd"@sv , "Test dataset"@en ;`,
    `    dct:description "A dataset for the validation tests."@en ;`,
    `    dcat:keyword "test"@sv ;`,
    `    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI> ;`,
    `    dct:publisher dlag:fk ;`,
    `    dpv:hasDataController dlag:fk ;`,
    `    dl:containsPersonalData true ;`,
    `    dl:legalBasis dlpr:sfb-114 ;`,
    `    dpv:hasPurpose dlpu:sfb-114-8-p3 , dlpu:sou-2025-108-brett-andamal ;`,
    `    dl:secrecy dlpr:osl-28-1 ;`,
    `    dl:retention dlret:sfb-114-15 ;`,
    `    dl:recordClass dlt:TestRecord ;`,
    `    dl:sourceSystem "test" ;`,
    ...(count > 0 ? [`    dl:hasElement ${elements.join(' , ')} ;`] : []),
    `    .`,
  ].filter((line) => !(options.omit ?? []).some((re) => re.test(line)));
  const elementText = elements.map((el, i) => `${el} a dl:DataElement ; rdfs:label "Fält ${i}"@sv , "Field ${i}"@en ;
    dl:predicate dlt:test${i} ; dl:datatype xsd:string ; dl:concept dlc:arendeid ; dl:protectionClass dl:BasicPersonalData .`);
  return [PREFIXES, body.join('\n'), '', ...elementText, '', options.add ?? ''].join('\n');
}

const FIXTURES: Record<string, string> = {
  'valid.ttl': dataset('test-valid'),
  'no-purpose.ttl': dataset('test-no-purpose', { omit: [/dpv:hasPurpose/] }),
  'no-legal-basis.ttl': dataset('test-no-legal-basis', { omit: [/dl:legalBasis/] }),
  'no-purpose-not-personal.ttl': dataset('test-not-personal', { omit: [/dpv:hasPurpose/, /dl:legalBasis/, /containsPersonalData/], add: 'dlds:test-not-personal dl:containsPersonalData false .' }),
  'dangling-legal-basis.ttl': dataset('test-dangling', { omit: [/dl:legalBasis/], add: 'dlds:test-dangling dl:legalBasis dlpr:sfb-9999 .' }),
  // OSL 24:8 (statistics secrecy) has no damage test: absolute secrecy.
  'absolute-no-controller.ttl': dataset('test-absolute', { omit: [/hasDataController/, /dl:secrecy /], add: 'dlds:test-absolute dl:secrecy dlpr:osl-24-8 .' }),
  'absolute-under-proposal.ttl': dataset('test-absolute-proposal', {
    omit: [/hasDataController/],
    add: 'dlds:test-absolute-proposal dl:secrecyUnder [ dl:regime dlrg:sou-2025-108 ; dl:secrecy dlpr:sou-2025-108-absolut-sekretess-analys ] .',
  }),
  'straight-no-controller.ttl': dataset('test-straight', { omit: [/hasDataController/] }),
  'few-elements.ttl': dataset('test-few', { elements: 3 }),
  'no-secrecy.ttl': dataset('test-no-secrecy', { omit: [/dl:secrecy /, /dl:retention/] }),
  'elements.ttl': `${PREFIXES}
dlel:test-no-datatype a dl:DataElement ; rdfs:label "x"@sv ; dl:predicate dlt:x ; dl:concept dlc:datum ;
    dl:protectionClass dl:BasicPersonalData .
dlel:test-no-class a dl:DataElement ; rdfs:label "x"@sv ; dl:predicate dlt:x ; dl:concept dlc:datum ;
    dl:datatype xsd:date .
dlel:test-two-classes a dl:DataElement ; rdfs:label "x"@sv ; dl:predicate dlt:x ; dl:concept dlc:datum ;
    dl:datatype xsd:date ; dl:protectionClass dl:BasicPersonalData , dl:HealthData .
dlel:test-unknown-class a dl:DataElement ; rdfs:label "x"@sv ; dl:predicate dlt:x ; dl:concept dlc:datum ;
    dl:datatype xsd:date ; dl:protectionClass dl:VerySecretData .
dlel:test-no-predicate a dl:DataElement ; rdfs:label "x"@sv ; dl:concept dlc:datum ;
    dl:datatype xsd:date ; dl:protectionClass dl:BasicPersonalData .
dlel:test-no-concept a dl:DataElement ; rdfs:label "x"@sv ; dl:predicate dlt:x ;
    dl:datatype xsd:date ; dl:protectionClass dl:BasicPersonalData .
`,
  'purposes.ttl': `${PREFIXES}
dlpu:test-ungrounded a dl:Purpose ; rdfs:label "Ogrundat"@sv , "Ungrounded"@en ;
    dl:purposeKind dl:ControlKind ; dl:inRegime dlrg:gallande-ratt .
dlpu:test-grounded-in-nothing a dl:Purpose ; rdfs:label "Fel grund"@sv , "Wrong ground"@en ;
    dl:purposeKind dl:ControlKind ; dl:groundedIn dlpr:sfb-114-8-p99 ; dl:inRegime dlrg:gallande-ratt .
dlpu:test-no-regime a dl:Purpose ; rdfs:label "Utan rättsläge"@sv , "Without regime"@en ;
    dl:purposeKind dl:ControlKind ; dl:groundedIn dlpr:sfb-114-8-p4 .
dlpu:test-swedish-only a dl:Purpose ; rdfs:label "Bara svenska"@sv ;
    dl:purposeKind dl:ControlKind ; dl:groundedIn dlpr:sfb-114-8-p4 ; dl:inRegime dlrg:gallande-ratt .
`,
  'provisions.ttl': `${PREFIXES}
# A proposal given a section number: the thing the catalog must never do.
dlpr:test-invented-section a dl:ProposedProvision ;
    dl:proposedIn "SOU 2025:108" ;
    dl:citation "SOU 2025:108, proposed rule" ;
    dl:chapter "114" ; dl:section "8 a" ;
    dct:source "SOU 2025:108, summary" .
dlpr:test-no-sfs a dl:Provision ;
    dl:citation "SFB 114 kap. 99 §" ; dl:statuteText "..."@sv ; rdfs:seeAlso <https://selex.se/eli/sfs/2010/110> ;
    dct:source "nowhere" .
dlpr:test-no-citation a dl:Provision ;
    dl:sfsNumber "2010:110" ; dl:statuteText "..."@sv ; rdfs:seeAlso <https://selex.se/eli/sfs/2010/110> .
dlpr:test-no-damage-test a dl:SecrecyProvision ;
    dl:sfsNumber "2009:400" ; dl:citation "OSL 99 kap. 1 §" ; dl:statuteText "..."@sv ;
    rdfs:seeAlso <https://selex.se/eli/sfs/2009/400> ; dct:source "nowhere" .
`,
  'channels.ttl': `${PREFIXES}
dlch:test-empty-channel a dl:DisclosureChannel ; dct:identifier "test-empty-channel" .
dlch:test-unknown-recipient a dl:DisclosureChannel ;
    dl:channelKind dl:DutyToSupply ; dl:recipient dlag:nobody ; dl:provision dlpr:osl-10-28 .
`,
  'syntax-error.ttl': `${PREFIXES}
dlds:test-broken a dl:CoreDataset ;
    dct:title "Broken"@en
    dct:identifier "test-broken" .
`,
};

let dir: string;
let report: ValidationReport;

const fixture = (name: string) => path.join(dir, name);
const resultsFor = (name: string) => report.results.filter((r) => r.file === fixture(name));
const violationsOf = (subject: string) =>
  report.results.filter((r) => r.shortSubject === subject && r.severity === 'violation');
const brief = (r: ValidationResult) => ({ rule: r.rule, path: r.path, value: r.value, message: r.message });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'datalyft-validate-'));
  await Promise.all(Object.entries(FIXTURES).map(([name, text]) => writeFile(path.join(dir, name), text)));
  report = await validateCatalog({ paths: [dir] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validateCatalog on the repository', () => {
  it('finds no violation in the catalog in the repo (the CI gate)', async () => {
    const own = await validateCatalog();
    const violations = own.results.filter((r) => r.severity === 'violation')
      .map((r) => `${r.file}:${r.line ?? ''} ${r.shortSubject ?? ''} ${r.rule} ${r.path ?? ''} ${r.value ?? ''} ${r.message}`);
    expect(violations).toEqual([]);
    expect(own.conforms).toBe(true);
    expect(own.files.length).toBeGreaterThan(10);
  });

  it('gives every shape a message a steward can act on, in English', async () => {
    for (const file of [VIOLATION_SHAPES, RECOMMENDED_SHAPES]) {
      const store = new N3.Store(new N3.Parser().parse(await readFile(file, 'utf8')));
      const sh = 'http://www.w3.org/ns/shacl#';
      // What the report can show: the property shapes of targeted shapes, and targeted
      // shapes with a condition (sh:or); shapes nested in a condition are never reported.
      const targeted = store.getSubjects(`${sh}targetClass`, null, null);
      const constrained = [
        ...targeted.flatMap((shape) => store.getObjects(shape, `${sh}property`, null)),
        ...targeted.filter((shape) => store.getObjects(shape, `${sh}or`, null).length > 0),
      ];
      expect(constrained.length).toBeGreaterThan(5);
      for (const shape of constrained) {
        const english = store.getObjects(shape, `${sh}message`, null).filter((m) => m.termType === 'Literal' && m.language === 'en');
        expect(english, `${file}: a shape without an English sh:message`).toHaveLength(1);
      }
    }
  });
});

describe('validateCatalog on invalid files', () => {
  it('passes a complete dataset without a violation or a warning', () => {
    expect(resultsFor('valid.ttl')).toEqual([]);
  });

  it('reports a personal-data dataset without a purpose, naming the file and the rule', () => {
    const [result, ...rest] = violationsOf('dlds:test-no-purpose');
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      severity: 'violation', file: fixture('no-purpose.ttl'), line: 18,
      subject: 'https://w3id.org/datalyft/dataset/test-no-purpose', rule: 'minCount', path: 'dpv:hasPurpose',
      shape: 'dlsh:PersonalDataPurposeShape',
    });
    expect(result?.message).toBe('A dataset with personal data must list at least one purpose (dpv:hasPurpose); add the SFB 114 kap. 8 § purposes it serves (dlpu:sfb-114-8-p1 ... p7) and those under the SOU 2025:108 proposal.');
    expect(result?.messageSv).toMatch(/^En datamängd med personuppgifter ska ange minst ett ändamål/);
    expect(report.conforms).toBe(false);
  });

  it('reports a personal-data dataset without a legal basis', () => {
    expect(violationsOf('dlds:test-no-legal-basis').map(brief)).toEqual([{
      rule: 'minCount', path: 'dl:legalBasis', value: undefined,
      message: 'A dataset with personal data must cite its legal basis (dl:legalBasis); add the benefit\'s SFB chapter and SFB 114 kap. (e.g. dlpr:sfb-13 , dlpr:sfb-114).',
    }]);
  });

  it('asks no purpose or legal basis of a dataset without personal data', () => {
    expect(violationsOf('dlds:test-not-personal')).toEqual([]);
  });

  it('reports a legal basis no file defines as a dangling reference, on the line that cites it', () => {
    const results = violationsOf('dlds:test-dangling');
    expect(results.map(brief)).toEqual([{
      rule: 'class', path: 'dl:legalBasis', value: 'dlpr:sfb-9999',
      message: 'Every dl:legalBasis must be a provision the catalog defines (catalog/provisions/); this one is not defined. Check the id (e.g. dlpr:sfb-114) or add the provision.',
    }]);
    const text = FIXTURES['dangling-legal-basis.ttl']!.split('\n');
    expect(text[(results[0]?.line ?? 0) - 1]).toContain('dlpr:sfb-9999');
  });

  it('reports an absolute-secrecy dataset without a controller', () => {
    expect(violationsOf('dlds:test-absolute').map(brief)).toEqual([{
      rule: 'minCount', path: 'dpv:hasDataController', value: undefined,
      message: 'A dataset under absolute secrecy (a secrecy provision with dl:damageTest dl:AbsoluteSecrecy) must name its controller (dpv:hasDataController), e.g. dlag:fk.',
    }]);
  });

  it('reports a dataset without a controller whose secrecy becomes absolute under the proposal', () => {
    expect(violationsOf('dlds:test-absolute-proposal').map((r) => r.shape)).toEqual(['dlsh:AbsoluteSecrecyControllerShape']);
  });

  it('only warns when a dataset under a straight damage test names no controller', () => {
    expect(violationsOf('dlds:test-straight')).toEqual([]);
    expect(resultsFor('straight-no-controller.ttl').map((r) => [r.severity, r.path])).toEqual([['warning', 'dpv:hasDataController']]);
  });

  it('reports a core dataset with fewer than five data elements', () => {
    expect(violationsOf('dlds:test-few').map((r) => [r.rule, r.path, r.message.slice(0, 60)])).toEqual([
      ['minCount', 'dl:hasElement', 'A core dataset must list at least five data elements (dl:has'],
    ]);
  });

  it('reports a core dataset without secrecy provision or retention rule', () => {
    expect(violationsOf('dlds:test-no-secrecy').map((r) => `${r.rule} ${r.path}`).sort()).toEqual(['minCount dl:retention', 'minCount dl:secrecy']);
  });

  it('reports an element without a datatype', () => {
    expect(violationsOf('dlel:test-no-datatype').map(brief)).toEqual([{
      rule: 'minCount', path: 'dl:datatype', value: undefined,
      message: 'A data element must have exactly one XSD datatype (dl:datatype), e.g. xsd:string, xsd:date or xsd:decimal.',
    }]);
  });

  it('reports an element without a protection class, with two, and with one the ontology lacks', () => {
    const message = 'A data element must have exactly one protection class (dl:protectionClass): dl:BasicPersonalData, dl:HealthData, dl:OtherSpecialCategoryData, dl:IndirectlySensitiveData, dl:AnalysisSelectionResult or dl:NonPersonalData. It decides the named graph the element\'s data go to.';
    expect(violationsOf('dlel:test-no-class').map(brief)).toEqual([{ rule: 'minCount', path: 'dl:protectionClass', value: undefined, message }]);
    expect(violationsOf('dlel:test-two-classes').map(brief)).toEqual([{ rule: 'maxCount', path: 'dl:protectionClass', value: undefined, message }]);
    expect(violationsOf('dlel:test-unknown-class').map((r) => [r.rule, r.value])).toEqual([['class', 'dl:VerySecretData']]);
  });

  it('reports an element without a record predicate', () => {
    expect(violationsOf('dlel:test-no-predicate').map((r) => `${r.rule} ${r.path}`)).toEqual(['minCount dl:predicate']);
  });

  it('only warns when an element has no shared concept', () => {
    expect(violationsOf('dlel:test-no-concept')).toEqual([]);
    expect(report.results.filter((r) => r.shortSubject === 'dlel:test-no-concept').map((r) => [r.severity, r.rule, r.path])).toEqual([['warning', 'minCount', 'dl:concept']]);
  });

  it('reports a purpose without a provision', () => {
    expect(violationsOf('dlpu:test-ungrounded').map(brief)).toEqual([{
      rule: 'minCount', path: 'dl:groundedIn', value: undefined,
      message: 'A purpose must be grounded in at least one provision (dl:groundedIn), e.g. dlpr:sfb-114-8-p4: a purpose without a provision cannot be relied on.',
    }]);
  });

  it('reports a purpose grounded in a provision no file defines', () => {
    expect(violationsOf('dlpu:test-grounded-in-nothing').map((r) => [r.rule, r.path, r.value])).toEqual([['class', 'dl:groundedIn', 'dlpr:sfb-114-8-p99']]);
  });

  it('reports a purpose without a regime, and warns of a purpose labelled in one language only', () => {
    expect(violationsOf('dlpu:test-no-regime').map((r) => `${r.rule} ${r.path}`)).toEqual(['minCount dl:inRegime']);
    expect(report.results.filter((r) => r.shortSubject === 'dlpu:test-swedish-only').map((r) => [r.severity, r.rule, r.path])).toEqual([['warning', 'qualifiedMinCount', 'rdfs:label']]);
  });

  it('reports a proposal given a chapter and section: never invent a section number', () => {
    const results = violationsOf('dlpr:test-invented-section');
    expect(results.map((r) => `${r.rule} ${r.path}`)).toEqual(['maxCount dl:chapter', 'maxCount dl:section']);
    for (const r of results) expect(r.message).toContain('never invent a section number for a proposal');
  });

  it('reports an enacted provision without an SFS number and one without a citation or source', () => {
    expect(violationsOf('dlpr:test-no-sfs').map((r) => `${r.rule} ${r.path}`)).toEqual(['minCount dl:sfsNumber']);
    expect(violationsOf('dlpr:test-no-citation').map((r) => `${r.rule} ${r.path}`)).toEqual(['minCount dct:source', 'minCount dl:citation']);
  });

  it('reports a secrecy provision without a damage test', () => {
    expect(violationsOf('dlpr:test-no-damage-test').map(brief)).toEqual([{
      rule: 'minCount', path: 'dl:damageTest', value: undefined,
      message: 'A secrecy provision must have exactly one damage test (dl:damageTest): dl:StraightDamageTest, dl:QualifiedStraightDamageTest, dl:ReverseDamageTest or dl:AbsoluteSecrecy, as read from the wording.',
    }]);
  });

  it('reports a disclosure channel without kind, recipient or provision, and one to an unknown agency', () => {
    expect(violationsOf('dlch:test-empty-channel').map((r) => `${r.rule} ${r.path}`)).toEqual(['minCount dl:channelKind', 'minCount dl:provision', 'minCount dl:recipient']);
    expect(violationsOf('dlch:test-unknown-recipient').map((r) => [r.rule, r.path, r.value])).toEqual([['class', 'dl:recipient', 'dlag:nobody']]);
  });

  it('reports a Turtle syntax error as a result with file and line, not a crash', () => {
    expect(resultsFor('syntax-error.ttl')).toEqual([{
      severity: 'violation', file: fixture('syntax-error.ttl'), line: 20, rule: 'syntax',
      message: 'Expected punctuation to follow ""Broken"@en" on line 20. Fix the Turtle; nothing in this file was checked.',
    }]);
  });

  it('reports only subjects defined in the named files, not the rest of the catalog', () => {
    expect(report.results.every((r) => r.file.startsWith(dir))).toBe(true);
    expect(report.files).toHaveLength(Object.keys(FIXTURES).length);
  });

  it('leaves out the recommendations when asked for violations only', async () => {
    const only = await validateCatalog({ paths: [fixture('straight-no-controller.ttl')], shapes: 'violations' });
    expect(only).toEqual({ conforms: true, files: [fixture('straight-no-controller.ttl')], results: [] });
  });
});

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('datalyft validate', () => {
  it('prints file:line, subject, rule and message for each violation and exits 1', async () => {
    const io = capture();
    expect(await main(['validate', fixture('no-purpose.ttl')], io)).toBe(1);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines[0]).toBe(`${fixture('no-purpose.ttl')}:18  dlds:test-no-purpose  minCount dpv:hasPurpose  A dataset with personal data must list at least one purpose (dpv:hasPurpose); add the SFB 114 kap. 8 § purposes it serves (dlpu:sfb-114-8-p1 ... p7) and those under the SOU 2025:108 proposal.`);
    expect(lines.at(-1)).toBe('1 violation, 2 warnings in 1 file (1 checked) (--warnings lists them)');
  });

  it('lists warnings only with --warnings, and counts them either way', async () => {
    const quiet = capture();
    expect(await main(['validate', fixture('straight-no-controller.ttl')], quiet)).toBe(0);
    expect(quiet.stdout.join('\n')).toBe('0 violations, 1 warning in 1 file (1 checked) (--warnings lists them)');
    const loud = capture();
    expect(await main(['validate', '--warnings', fixture('straight-no-controller.ttl')], loud)).toBe(0);
    expect(loud.stdout.join('\n')).toContain('dlds:test-straight  minCount dpv:hasDataController  warning: Name the controller');
  });

  it('exits 0 on a valid file', async () => {
    const io = capture();
    expect(await main(['validate', fixture('valid.ttl')], io)).toBe(0);
    expect(io.stdout.join('\n')).toBe('0 violations, 0 warnings in 0 files (1 checked)');
  });

  it('prints the report as JSON with --json', async () => {
    const io = capture();
    expect(await main(['validate', '--json', fixture('dangling-legal-basis.ttl')], io)).toBe(1);
    const json = JSON.parse(io.stdout.join('\n')) as ValidationReport;
    expect(json.conforms).toBe(false);
    expect(json.results.map((r) => [r.severity, r.rule, r.path, r.value])).toEqual([['violation', 'class', 'dl:legalBasis', 'dlpr:sfb-9999']]);
  });

  it('refuses a path that does not exist with exit 2', async () => {
    const io = capture();
    expect(await main(['validate', fixture('missing.ttl')], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('path-not-found');
  });
});
