/**
 * The door: a JSON Schema per source layout, generated from the catalog's elements
 * (datatype, dl:required, dl:pattern, dl:validator) under the mapping's field names, and
 * compiled once by ajv. The Swedish identifier checks are ajv formats backed by
 * identifiers.ts, the same functions the SHACL layer runs (shapes.ts).
 *
 * The schema sees the record after the mapping's declared normalisations (a hyphen
 * stripped, YYYYMM turned into YYYY-MM), so one pattern per element serves every layout.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DL_BASE } from '../rdf/namespaces.ts';
import { DATATYPE_FORMATS, datatypeInfo } from './datatypes.ts';
import { IDENTIFIER_VALIDATORS, identifierValidator } from './identifiers.ts';
import type { Layout } from './mapping.ts';
import { maskValue, pointer, type Violation } from './violations.ts';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
for (const [name, validate] of Object.entries(DATATYPE_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
for (const v of IDENTIFIER_VALIDATORS.values()) ajv.addFormat(v.rule, { type: 'string', validate: (s: string) => v.check(s).ok });

export type JsonSchema = Record<string, unknown>;

export function schemaId(layout: Layout): string {
  return `${DL_BASE}schema/${layout.sourceSystem}/${layout.dataset.id}`;
}

/** The JSON Schema of a layout's (normalised) records. */
export function recordSchema(layout: Layout): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  for (const f of layout.fields) {
    const el = f.element;
    const info = datatypeInfo(el.datatype);
    const prop: JsonSchema = { ...info.json };
    const label = el.label.sv ?? el.label.en ?? el.id;
    prop.description = `${label} (element ${el.id}, ${el.predicate})`;
    const validator = identifierValidator(el.validator);
    if (info.json.type === 'string') {
      if (el.pattern) prop.pattern = el.pattern;
      if (validator) prop.format = validator.rule;
    }
    const extra = layout.constraints[f.field];
    if (extra) {
      const { because, ...keywords } = extra;
      Object.assign(prop, keywords);
      if (because) prop.description = `${prop.description as string}; ${because}`;
    }
    properties[f.field] = prop;
    if (el.required) required.add(f.field);
  }
  for (const field of layout.ignore) {
    properties[field] ??= { type: ['string', 'number', 'boolean'], description: 'kept by the source system, not by the hub' };
  }
  for (const field of layout.idFields) required.add(field);
  const title = layout.dataset.title.sv ?? layout.dataset.title.en ?? layout.dataset.id;
  return {
    $id: schemaId(layout),
    title: `${title} — records from ${layout.sourceSystem}`,
    type: 'object',
    properties,
    required: [...required].sort(),
    additionalProperties: false,
  };
}

const compiled = new WeakMap<Layout, ValidateFunction>();

export function compiledSchema(layout: Layout): ValidateFunction {
  let fn = compiled.get(layout);
  if (!fn) {
    const schema = recordSchema(layout);
    fn = ajv.getSchema(schema.$id as string) ?? ajv.compile(schema);
    compiled.set(layout, fn);
  }
  return fn;
}

function violationOf(layout: Layout, index: number, record: Record<string, unknown>, error: ErrorObject): Violation {
  const params = error.params as Record<string, unknown>;
  const fieldOfPath = error.instancePath ? decodeURIComponent(error.instancePath.slice(1).split('/')[0]!.replaceAll('~1', '/').replaceAll('~0', '~')) : undefined;
  const base = (field: string | undefined, rule: string, message: string): Violation => {
    const cf = field === undefined ? undefined : layout.byField.get(field);
    const value = field === undefined ? undefined : maskValue(record[field], cf?.element);
    return { record: index, field, path: pointer(field), rule, message, layer: 'door', ...(cf ? { element: cf.element.id } : {}), ...(value !== undefined && rule !== 'required' ? { value } : {}) };
  };
  switch (error.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      const cf = layout.byField.get(field);
      const what = cf ? `element ${cf.element.id}` : 'the record id';
      return base(field, 'required', `"${field}" is missing; it is required (${what}).`);
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return base(field, 'unknown-field', `"${field}" is not a field of the ${layout.sourceSystem} layout of ${layout.dataset.id}. Fields: ${[...layout.byField.keys(), ...layout.ignore].sort().join(', ')}.`);
    }
    case 'type': {
      const cf = fieldOfPath === undefined ? undefined : layout.byField.get(fieldOfPath);
      const expected = cf ? datatypeInfo(cf.element.datatype).expected : `of type ${String(params.type)}`;
      return base(fieldOfPath, 'datatype', `"${fieldOfPath ?? ''}" must be ${expected}.`);
    }
    case 'format': {
      const format = String(params.format);
      const validator = [...IDENTIFIER_VALIDATORS.values()].find((v) => v.rule === format);
      const value = fieldOfPath === undefined ? undefined : record[fieldOfPath];
      if (validator) {
        const check = validator.check(String(value));
        const reason = check.ok ? '' : check.message;
        return base(fieldOfPath, validator.rule, `"${fieldOfPath ?? ''}" is not a valid ${validator.rule}: ${reason}`.trim());
      }
      const cf = fieldOfPath === undefined ? undefined : layout.byField.get(fieldOfPath);
      return base(fieldOfPath, 'datatype', `"${fieldOfPath ?? ''}" must be ${cf ? datatypeInfo(cf.element.datatype).expected : format}.`);
    }
    case 'pattern':
      return base(fieldOfPath, 'pattern', `"${fieldOfPath ?? ''}" must match ${String(params.pattern)}.`);
    default:
      return base(fieldOfPath, error.keyword, `"${fieldOfPath ?? ''}" ${error.message ?? 'is invalid'}${layout.constraints[fieldOfPath ?? '']?.because ? ` (${layout.constraints[fieldOfPath ?? '']!.because})` : ''}.`);
  }
}

/** Validates one normalised record at the door; [] when it passes. */
export function checkAtDoor(layout: Layout, index: number, record: Record<string, unknown>): Violation[] {
  const validate = compiledSchema(layout);
  if (validate(record)) return [];
  return (validate.errors ?? []).map((e) => violationOf(layout, index, record, e));
}
