import { describe, expect, it } from 'vitest';
import { DatalyftError } from '../../src/errors.ts';
import { factory } from '../../src/rdf/parse.ts';
import { hasBlankNode, NTriplesWriter } from '../../src/store/ntriples.ts';
import { EX, iri } from './helpers.ts';

const { quad, literal, blankNode, namedNode, defaultGraph } = factory;

function lines(quads: Parameters<NTriplesWriter['group']>[0]): [string, string[]][] {
  return [...new NTriplesWriter().group(quads, 'add')];
}

function refusal(run: () => unknown): DatalyftError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatalyftError);
    return error as DatalyftError;
  }
  throw new Error('expected invalid-term');
}

describe('N-Triples lines for the database', () => {
  it('writes every kind of term the same way each time, grouped by graph', () => {
    const g = iri('g');
    expect(lines([
      quad(iri('s'), iri('p'), literal('line\nbreak "quoted" back\\slash\rreturn'), g),
      quad(iri('s'), iri('p'), literal('hej', 'SV-se'), g),
      quad(iri('s'), iri('p'), literal('5', namedNode('http://www.w3.org/2001/XMLSchema#integer')), defaultGraph()),
      quad(blankNode('b0'), iri('p'), literal('plain', namedNode('http://www.w3.org/2001/XMLSchema#string')), g),
      quad(iri('s'), iri('p'), quad(iri('a'), iri('b'), blankNode('c')) as never, g),
      quad(iri('s'), iri('p'), namedNode('urn:isbn:0451450523'), g),
      quad(iri('s'), iri('p'), namedNode('https://example.org/%C3%A5r/å'), g),
    ])).toEqual([
      [`${EX}g`, [
        `<${EX}s> <${EX}p> "line\\nbreak \\"quoted\\" back\\\\slash\\rreturn"`,
        `<${EX}s> <${EX}p> "hej"@sv-se`,
        `_:b0 <${EX}p> "plain"`,
        `<${EX}s> <${EX}p> <<( <${EX}a> <${EX}b> _:c )>>`,
        `<${EX}s> <${EX}p> <urn:isbn:0451450523>`,
        `<${EX}s> <${EX}p> <https://example.org/%C3%A5r/å>`,
      ]],
      ['', [`<${EX}s> <${EX}p> "5"^^<http://www.w3.org/2001/XMLSchema#integer>`]],
    ]);
  });

  it('keeps a directional language string', () => {
    const text = literal('سلام', { language: 'fa', direction: 'rtl' } as never);
    expect(lines([quad(iri('s'), iri('p'), text, iri('g'))])[0]![1]).toEqual([`<${EX}s> <${EX}p> "سلام"@fa--rtl`]);
  });

  it('refuses terms oxigraph would refuse, naming the quad and the position', () => {
    const writer = new NTriplesWriter();
    const cases: [Parameters<NTriplesWriter['group']>[0][number], string][] = [
      [quad(namedNode('relative/iri'), iri('p'), literal('x')), 'Quad 1 to add has an invalid subject: <relative/iri> is not an absolute IRI'],
      [quad(iri('s'), iri('p'), literal('x', 'not a tag')), 'Quad 1 to add has an invalid object: "not a tag" is not a language tag'],
      [quad(iri('s'), iri('p'), blankNode('ends.')), 'Quad 1 to add has an invalid object: _:ends. is not a valid blank node label'],
      [quad(iri('s'), iri('p'), literal('x'), blankNode('g')), "Quad 1 to add has an invalid graph: a BlankNode cannot name a graph (the hub's graphs are named by IRIs)"],
      [quad(iri('s'), iri('p'), literal('x', namedNode('http://example.org/a b'))), 'Quad 1 to add has an invalid object: <http://example.org/a b> is not an absolute IRI'],
    ];
    for (const [bad, message] of cases) {
      const error = refusal(() => writer.group([bad], 'add'));
      expect(error.code).toBe('invalid-term');
      expect(error.message.startsWith(message)).toBe(true);
    }
  });

  it('tells lines with blank nodes apart (oxigraph bulk load would relabel them)', () => {
    expect(hasBlankNode('_:a <p> "x"')).toBe(true);
    expect(hasBlankNode('<s> <p> _:o')).toBe(true);
    expect(hasBlankNode('<s> <p> <<( _:a <b> <c> )>>')).toBe(true);
    expect(hasBlankNode('<s> <p> "x"')).toBe(false);
  });
});
