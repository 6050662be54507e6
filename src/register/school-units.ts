/**
 * The school units the absence register knows, and which reporter reports for which school
 * provider (huvudman). Read from a JSON file validated with ajv: by default
 * config/demo-school-units.json (invented units for the embedded default); a real hub
 * would load Skolverket's Skolenhetsregistret into the same layout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { REPO_ROOT } from '../catalog/catalog.ts';
import { DatalyftError } from '../errors.ts';
import { checkOrganisationsnummer, checkSkolenhetskod } from '../ingest/identifiers.ts';

export const DEMO_SCHOOL_UNITS_FILE = path.join(REPO_ROOT, 'config', 'demo-school-units.json');

export interface SchoolUnit {
  skolenhetskod: string;
  name: string;
  /** School forms the unit runs (codes of SKOLFORMER in report.ts). */
  skolformer: string[];
  /** The school provider's organisation number (10 digits, no hyphen). */
  huvudman: string;
  huvudmanName: string;
}

interface ProviderFile {
  providers: { organisationsnummer: string; name: string; reporters: string[]; units: { skolenhetskod: string; name: string; skolformer: string[] }[] }[];
}

const SCHEMA = {
  type: 'object',
  required: ['providers'],
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    providers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['organisationsnummer', 'name', 'reporters', 'units'],
        additionalProperties: false,
        properties: {
          organisationsnummer: { type: 'string' },
          name: { type: 'string', minLength: 1 },
          reporters: { type: 'array', items: { type: 'string', minLength: 1 } },
          units: {
            type: 'array',
            items: {
              type: 'object',
              required: ['skolenhetskod', 'name', 'skolformer'],
              additionalProperties: false,
              properties: {
                skolenhetskod: { type: 'string' },
                name: { type: 'string', minLength: 1 },
                skolformer: { type: 'array', minItems: 1, items: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

export class SchoolUnits {
  private readonly units = new Map<string, SchoolUnit>();
  /** Principal id → organisation numbers of the providers it reports for. */
  private readonly reporters = new Map<string, Set<string>>();

  constructor(file: ProviderFile, source = 'school units') {
    for (const provider of file.providers) {
      const org = provider.organisationsnummer.replace('-', '');
      const check = checkOrganisationsnummer(org);
      if (!check.ok) throw new DatalyftError('school-units-invalid', `${source}: provider ${provider.name}: organisationsnummer ${check.message}`, { status: 500, where: { file: source } });
      for (const reporter of provider.reporters) this.reporters.set(reporter, new Set([...(this.reporters.get(reporter) ?? []), org]));
      for (const unit of provider.units) {
        const code = checkSkolenhetskod(unit.skolenhetskod);
        if (!code.ok) throw new DatalyftError('school-units-invalid', `${source}: unit ${unit.name}: ${code.message}`, { status: 500, where: { file: source } });
        if (this.units.has(unit.skolenhetskod)) throw new DatalyftError('school-units-invalid', `${source}: skolenhetskod ${unit.skolenhetskod} is listed twice.`, { status: 500, where: { file: source } });
        this.units.set(unit.skolenhetskod, { ...unit, huvudman: org, huvudmanName: provider.name });
      }
    }
  }

  static fromFile(file: string = DEMO_SCHOOL_UNITS_FILE): SchoolUnits {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new DatalyftError('school-units-invalid', `Cannot read the school units file ${file}: ${(error as Error).message}`, { status: 500, where: { file } });
    }
    if (!validate(json)) {
      throw new DatalyftError('school-units-invalid', `The school units file ${file} is not valid: ${new Ajv().errorsText(validate.errors)}`, { status: 500, where: { file } });
    }
    return new SchoolUnits(json as ProviderFile, file);
  }

  get(skolenhetskod: string): SchoolUnit | undefined {
    return this.units.get(skolenhetskod);
  }

  /** The units a principal (by id) may report for: those of its providers. */
  unitsOf(principalId: string): SchoolUnit[] {
    const orgs = this.reporters.get(principalId) ?? new Set<string>();
    return [...this.units.values()].filter((u) => orgs.has(u.huvudman)).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }

  mayReport(principalId: string, unit: SchoolUnit): boolean {
    return this.reporters.get(principalId)?.has(unit.huvudman) ?? false;
  }
}
