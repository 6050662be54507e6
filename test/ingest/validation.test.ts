/**
 * Two layers, one source of truth: the JSON Schema at the door and the SHACL shapes in the
 * graph are both generated from the catalog's elements, and both run the identifier checks
 * of identifiers.ts. These tests prove they agree value by value, and that the committed
 * shapes files are what the catalog gives now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { graphChooser, mapRecord, MappingRegistry, prepareRecord, recordId, subjectIri, type Layout } from '../../src/ingest/mapping.ts';
import { checkAtDoor, recordSchema } from '../../src/ingest/schema.ts';
import { RecordShapes, recordShapesTurtle, staleShapeFiles } from '../../src/ingest/shapes.ts';

let catalog: Catalog;
let registry: MappingRegistry;
beforeAll(async () => {
  catalog = await Catalog.load();
  registry = new MappingRegistry(catalog);
});

const AGI = { ArbetsgivareOrgnr: '165560360793', Betalningsmottagare: '198503121231', Redovisningsperiod: '202403', Specifikationsnummer: '001', KontantErsattningUlagAG: 38500 };
const SCHOOL = { Elev: '201108158880', Skolenhetskod: '29384756', HuvudmanOrgnr: '2120002148', Datum: '2024-03-11', Status: 'F', Skolform: 'GR' };

/** The rules each layer finds for one field of an otherwise valid record. */
async function bothLayers(layout: Layout, record: Record<string, unknown>, field: string): Promise<{ door: string[]; graph: string[] }> {
  const prepared = prepareRecord(layout, record);
  const door = checkAtDoor(layout, 0, prepared).filter((v) => v.field === field).map((v) => v.rule);
  // The graph layer sees the same value mapped, without the door in front of it.
  const subject = subjectIri(layout.dataset, recordId(layout, prepared) ?? 'x');
  const quads = mapRecord(layout, prepared, subject, graphChooser(catalog, layout.dataset));
  const predicate = layout.byField.get(field)!.predicate.value;
  const findings = await RecordShapes.of(catalog, layout.dataset).validate(quads);
  const graph = findings.filter((f) => f.predicate === predicate).map((f) => f.rule);
  const precise = (rules: string[]) => (rules.some((r) => r !== 'pattern') ? rules.filter((r) => r !== 'pattern') : rules);
  return { door: [...new Set(precise(door))].sort(), graph: [...new Set(precise(graph))].sort() };
}

describe('the door and the graph agree', () => {
  const personnummer: [string, string[]][] = [
    ['198503121231', []],
    ['197912917775', []], // samordningsnummer
    ['200002290005', []], // 29 February 2000
    ['190002290004', ['personnummer']], // 29 February 1900 does not exist
    ['198503121234', ['personnummer']], // Luhn
    ['19850312123', ['personnummer']], // 11 digits
    ['1985031212AB', ['personnummer']],
  ];
  it.each(personnummer)('on personnummer %s', async (value, expected) => {
    const layout = registry.layout(catalog.requireDataset('skatteverket-inkomstuppgifter'), 'skatteverket-inkomst');
    const { door, graph } = await bothLayers(layout, { ...AGI, Betalningsmottagare: value }, 'Betalningsmottagare');
    expect(door).toEqual(expected);
    expect(graph).toEqual(expected);
  });

  const organisationsnummer: [string, string[]][] = [
    ['165560360793', []],
    ['165560360794', ['organisationsnummer']], // Luhn
    ['168112189876', ['organisationsnummer']], // third digit below 2: a personnummer
    ['16556036079', ['organisationsnummer']],
  ];
  it.each(organisationsnummer)('on organisationsnummer %s', async (value, expected) => {
    const layout = registry.layout(catalog.requireDataset('skatteverket-inkomstuppgifter'), 'skatteverket-inkomst');
    const { door, graph } = await bothLayers(layout, { ...AGI, ArbetsgivareOrgnr: value }, 'ArbetsgivareOrgnr');
    expect(door).toEqual(expected);
    expect(graph).toEqual(expected);
  });

  const months: [string, string[]][] = [['202403', []], ['202413', ['datatype']], ['2024-03', []], ['24-03', ['datatype']]];
  it.each(months)('on the reporting month %s', async (value, expected) => {
    const layout = registry.layout(catalog.requireDataset('skatteverket-inkomstuppgifter'), 'skatteverket-inkomst');
    const { door, graph } = await bothLayers(layout, { ...AGI, Redovisningsperiod: value }, 'Redovisningsperiod');
    expect(door).toEqual(expected);
    expect(graph).toEqual(expected);
  });

  const school: [string, string, string[]][] = [
    ['Skolenhetskod', '29384756', []],
    ['Skolenhetskod', '2938475', ['skolenhetskod']],
    ['Datum', '2024-02-29', []],
    ['Datum', '2023-02-29', ['datatype']],
    ['Datum', '2024-04-31', ['datatype']],
    ['Elev', '201108158880', []],
    ['Elev', '201108158881', ['personnummer']],
  ];
  it.each(school)('on the absence register\'s %s %s', async (field, value, expected) => {
    const layout = registry.layout(catalog.requireDataset('skolverket-franvaroregister'), 'skolverket-franvaro');
    const { door, graph } = await bothLayers(layout, { ...SCHOOL, [field]: value }, field);
    expect(door).toEqual(expected);
    expect(graph).toEqual(expected);
  });

  it('on a missing required field', async () => {
    const layout = registry.layout(catalog.requireDataset('skolverket-franvaroregister'), 'skolverket-franvaro');
    const { Skolform: _left, ...record } = SCHOOL;
    const { door, graph } = await bothLayers(layout, record, 'Skolform');
    expect(door).toEqual(['required']);
    expect(graph).toEqual(['required']);
  });
});

describe('generated validation', () => {
  it('derives the door\'s JSON Schema from the catalog under the source system\'s field names', () => {
    const layout = registry.layout(catalog.requireDataset('skatteverket-inkomstuppgifter'), 'skatteverket-inkomst');
    const schema = recordSchema(layout) as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
    expect(schema.properties.Betalningsmottagare).toMatchObject({ type: 'string', pattern: '^[0-9]{12}$', format: 'personnummer' });
    expect(schema.properties.Redovisningsperiod).toMatchObject({ type: 'string', format: 'xsd-gYearMonth' });
    expect(schema.properties.KontantErsattningUlagAG).toMatchObject({ type: 'number', minimum: 0 });
    expect(schema.required).toEqual(['ArbetsgivareOrgnr', 'Betalningsmottagare', 'Redovisningsperiod', 'Specifikationsnummer']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('derives the record shapes from the same elements', () => {
    const ttl = recordShapesTurtle(catalog, catalog.requireDataset('fk-tillfallig-foraldrapenning'));
    expect(ttl).toContain('sh:targetClass dlt:TillfalligForaldrapenningArende');
    expect(ttl).toMatch(/sh:path dlt:personnummer ;\n {4}sh:name "personnummer" ;\n {4}sh:datatype xsd:string ;\n {4}sh:minCount 1 ;\n {4}sh:maxCount 1 ;\n {4}sh:pattern "\^\[0-9\]\{12\}\$" ;\n {4}dl:validator dl:PersonnummerCheck \./);
  });

  it('keeps shapes/records/ up to date with the catalog (run npx datalyft shapes)', () => {
    expect(staleShapeFiles(catalog)).toEqual([]);
  });
});
