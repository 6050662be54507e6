/**
 * Configuration from environment variables, validated once at start with ajv. A bad
 * value stops the hub with `config-invalid`, naming the variable and what it accepts.
 * README.md lists every variable with its default; keep the two in step.
 */
import path from 'node:path';
import { Ajv } from 'ajv';
import { DatalyftError } from './errors.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Regime used when a request names none: `gallande-ratt` or `sou-2025-108`. */
  defaultRegime: string;
  /** File with bearer tokens (JSON: {"tokens": [{"token": "...", "principal": "id"}]}); unset = demo tokens. */
  tokensFile?: string;
  queryTimeoutMs: number;
  maxRows: number;
  /** Smallest group a statistics purpose may see. */
  minGroupSize: number;
  /** Largest request body, in bytes. */
  bodyLimitBytes: number;
  /** Persons the demo generator creates on first start of an empty data directory; 0 = no demo data. */
  demoPersons: number;
  /** Public base URL of the hub (landing pages in exports, links); unset = taken from the request. */
  publicUrl?: string;
  /** Month and day (MM-DD) of the scheduled yearly erasure of year-partitioned registers. */
  erasureDate: string;
}

interface VariableSpec {
  key: keyof Config;
  env: string;
  schema: Record<string, unknown>;
  parse: (raw: string) => unknown;
  fallback: unknown;
  doc: string;
}

const int = (raw: string): unknown => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);

export const VARIABLES: VariableSpec[] = [
  { key: 'port', env: 'PORT', schema: { type: 'integer', minimum: 0, maximum: 65535 }, parse: int, fallback: 8080, doc: 'TCP port of the hub (0 = any free port)' },
  { key: 'host', env: 'HOST', schema: { type: 'string', minLength: 1 }, parse: (s) => s, fallback: '0.0.0.0', doc: 'interface to listen on' },
  { key: 'dataDir', env: 'DATALYFT_DATA_DIR', schema: { type: 'string', minLength: 1 }, parse: (s) => s, fallback: './data', doc: 'data directory of the embedded store' },
  { key: 'defaultRegime', env: 'DATALYFT_REGIME', schema: { enum: ['gallande-ratt', 'sou-2025-108'] }, parse: (s) => s, fallback: 'gallande-ratt', doc: 'legal regime when a request names none' },
  { key: 'tokensFile', env: 'DATALYFT_TOKENS_FILE', schema: { type: 'string', minLength: 1 }, parse: (s) => s, fallback: undefined, doc: 'bearer tokens file; unset = the demo tokens in README' },
  { key: 'queryTimeoutMs', env: 'DATALYFT_QUERY_TIMEOUT_MS', schema: { type: 'integer', minimum: 100, maximum: 600000 }, parse: int, fallback: 10000, doc: 'per-query timeout in milliseconds' },
  { key: 'maxRows', env: 'DATALYFT_MAX_ROWS', schema: { type: 'integer', minimum: 1 }, parse: int, fallback: 10000, doc: 'result-row cap; larger results are truncated and flagged' },
  { key: 'minGroupSize', env: 'DATALYFT_MIN_GROUP_SIZE', schema: { type: 'integer', minimum: 1 }, parse: int, fallback: 5, doc: 'smallest group a statistics purpose may see' },
  { key: 'bodyLimitBytes', env: 'DATALYFT_BODY_LIMIT', schema: { type: 'integer', minimum: 1024 }, parse: int, fallback: 10 * 1024 * 1024, doc: 'largest request body in bytes' },
  { key: 'demoPersons', env: 'DATALYFT_DEMO_PERSONS', schema: { type: 'integer', minimum: 0 }, parse: int, fallback: 10000, doc: 'persons in the generated demo data (0 = none)' },
  { key: 'publicUrl', env: 'DATALYFT_PUBLIC_URL', schema: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' }, parse: (s) => s.replace(/\/+$/, ''), fallback: undefined, doc: 'public base URL, e.g. https://datalyft.example.se' },
  { key: 'erasureDate', env: 'DATALYFT_ERASURE_DATE', schema: { type: 'string', pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' }, parse: (s) => s, fallback: '01-15', doc: 'MM-DD of the yearly erasure of the previous year in year-partitioned registers' },
];

const ajv = new Ajv({ allErrors: true });

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of VARIABLES) {
    const raw = env[spec.env];
    const value = raw === undefined || raw === '' ? spec.fallback : spec.parse(raw);
    if (value !== undefined && !ajv.validate(spec.schema, value)) {
      const reason = ajv.errorsText(ajv.errors, { dataVar: spec.env });
      problems.push(`${spec.env}=${JSON.stringify(raw)}: ${reason} (${spec.doc})`);
      continue;
    }
    out[spec.key] = value;
  }
  if (problems.length > 0) {
    throw new DatalyftError('config-invalid', `Invalid configuration: ${problems.join('; ')}`, { status: 500, where: { variables: problems.map((p) => p.split('=')[0]).join(',') } });
  }
  const config = { ...(out as unknown as Config), ...overrides };
  config.dataDir = path.resolve(config.dataDir);
  return config;
}
