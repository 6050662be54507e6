/**
 * `datalyft export dcat-ap-se`: the DCAT-AP-SE export for dataportal.se, RDF/XML.
 * `datalyft export turtle`: the whole catalog graph (ontology/ and catalog/) as Turtle.
 * Both write to stdout, or to --out FILE.
 */
import { writeFile } from 'node:fs/promises';
import { Catalog } from '../catalog/catalog.ts';
import { DEFAULT_BASE_URL, exportDcatApSe } from '../catalog/dcat-export.ts';
import type { Command } from '../cli.ts';
import { DatalyftError } from '../errors.ts';
import { writeRdf } from '../rdf/parse.ts';
import { parseCommandArgs } from './args.ts';

const FORMATS = ['dcat-ap-se', 'turtle'] as const;

export const command: Command = {
  name: 'export',
  summary: 'Export the catalog: DCAT-AP-SE RDF/XML for dataportal.se, or the whole catalog as Turtle',
  usage: [
    'datalyft export dcat-ap-se [--out FILE] [--base-url URL] [--catalog PATH ...]',
    '       datalyft export turtle [--out FILE] [--catalog PATH ...]',
    '',
    'dcat-ap-se  DCAT-AP-SE 3.0.1 (RDF/XML): catalogue, datasets, publishers, contact points;',
    '            none of the internal triples (purposes, secrecy, legal basis, data elements).',
    `            --base-url is the hub's public address, for landing pages (default ${DEFAULT_BASE_URL}).`,
    'turtle      every triple of ontology/ and catalog/.',
    '',
    '--catalog   read these files or folders instead of ontology/datalyft.ttl and catalog/.',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseCommandArgs({
      args, allowPositionals: true, strict: true,
      options: { out: { type: 'string', short: 'o' }, 'base-url': { type: 'string' }, catalog: { type: 'string', multiple: true } },
    });
    const { values, positionals } = parsed;
    const [format, ...extra] = positionals;
    if (!format || !(FORMATS as readonly string[]).includes(format) || extra.length > 0) {
      throw new DatalyftError('usage', `Name one format: ${FORMATS.join(' or ')}${format && !(FORMATS as readonly string[]).includes(format) ? ` (not "${format}")` : ''}. See datalyft export --help.`);
    }
    if (format === 'turtle' && values['base-url'] !== undefined) {
      throw new DatalyftError('usage', '--base-url applies to dcat-ap-se only.');
    }
    const catalog = await Catalog.load(values.catalog ? { paths: values.catalog } : {});
    const output = format === 'dcat-ap-se'
      ? exportDcatApSe(catalog, { baseUrl: values['base-url'] })
      : await writeRdf(catalog.quads);
    if (values.out) {
      await writeFile(values.out, output, 'utf8').catch((error: unknown) => {
        throw new DatalyftError('file-unwritable', `Cannot write ${values.out}: ${(error as Error).message}`, { where: { file: values.out } });
      });
      io.err(`Wrote ${format} export of ${catalog.datasets.size} datasets to ${values.out}`);
    } else {
      io.out(output);
    }
    return 0;
  },
};
