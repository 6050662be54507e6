/**
 * Who asks: `Authorization: Bearer <token>` → a principal of the catalog.
 *
 * Tokens come from one file: config/demo-tokens.json (the demo principals, listed in
 * README) when DATALYFT_TOKENS_FILE is unset, and only the named file when it is set, so
 * demo tokens never work on a hub configured with real ones. The file is validated with
 * ajv at start and every principal it names must be in the catalog. Tokens are kept as
 * SHA-256 digests and compared in constant time against every entry.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { Request } from 'express';
import type { Catalog } from '../catalog/catalog.ts';
import { REPO_ROOT } from '../catalog/catalog.ts';
import { DatalyftError } from '../errors.ts';

export const DEMO_TOKENS_FILE = path.join(REPO_ROOT, 'config', 'demo-tokens.json');

const SCHEMA = {
  type: 'object',
  required: ['tokens'],
  properties: {
    $comment: { type: 'string' },
    tokens: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['token', 'principal'],
        additionalProperties: false,
        properties: {
          token: { type: 'string', minLength: 12, maxLength: 4096, pattern: '^[\\x21-\\x7E]+$' },
          principal: { type: 'string', minLength: 1 },
          $comment: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

interface Entry {
  digest: Buffer;
  principal: string;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class TokenStore {
  private readonly entries: Entry[];
  /** Where the tokens came from, for the start-up log (never the tokens). */
  readonly source: string;

  private constructor(entries: Entry[], source: string) {
    this.entries = entries;
    this.source = source;
  }

  /** Reads and validates a tokens file; each principal (id or IRI) must be in the catalog. */
  static fromFile(file: string, catalog: Catalog): TokenStore {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new DatalyftError('tokens-invalid', `Cannot read the tokens file ${file}: ${(error as Error).message}`, { status: 500, where: { file } });
    }
    if (!validate(json)) {
      const reason = new Ajv().errorsText(validate.errors, { dataVar: 'tokens file' });
      throw new DatalyftError('tokens-invalid', `The tokens file ${file} is not valid: ${reason}. Expected {"tokens": [{"token": "...", "principal": "<principal id or IRI>"}]}.`, { status: 500, where: { file } });
    }
    const list = (json as { tokens: { token: string; principal: string }[] }).tokens;
    const seen = new Set<string>();
    const entries: Entry[] = list.map((item, index) => {
      const principal = catalog.resolve('principal', item.principal);
      if (!principal) {
        throw new DatalyftError('tokens-invalid', `Token ${index + 1} of ${file} names principal "${item.principal}", which is not in the catalog (catalog/principals/).`, { status: 500, where: { file, record: index + 1 } });
      }
      const hex = digest(item.token).toString('hex');
      if (seen.has(hex)) throw new DatalyftError('tokens-invalid', `Token ${index + 1} of ${file} repeats an earlier token; each token must be unique.`, { status: 500, where: { file, record: index + 1 } });
      seen.add(hex);
      return { digest: digest(item.token), principal };
    });
    return new TokenStore(entries, file);
  }

  /** The configured tokens: the named file only, or the demo tokens when none is named. */
  static load(options: { tokensFile?: string; catalog: Catalog }): TokenStore {
    return TokenStore.fromFile(options.tokensFile ? path.resolve(options.tokensFile) : DEMO_TOKENS_FILE, options.catalog);
  }

  /** The principal IRI a token stands for, or undefined. Looks at every entry whatever matches. */
  principalOf(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.principal;
    }
    return found;
  }
}

export interface Authentication {
  /** Principal IRI, when a valid token was sent. */
  principal?: string;
  /** True when an Authorization header was sent at all. */
  presented: boolean;
}

/**
 * Reads the Authorization header. No header → anonymous (the caller decides whether that
 * is enough); a header that is not a known bearer token → 401 `unknown-token`.
 */
export function authenticate(req: Request, tokens: TokenStore): Authentication {
  const header = req.headers.authorization;
  if (header === undefined) return { presented: false };
  const match = /^Bearer[ ]+([\x21-\x7E]+)\s*$/i.exec(header);
  if (!match) {
    throw new DatalyftError('unknown-token', 'The Authorization header is not a bearer token; send Authorization: Bearer <token>.', { status: 401, where: { header: 'Authorization' } });
  }
  const principal = tokens.principalOf(match[1]!);
  if (!principal) {
    throw new DatalyftError('unknown-token', 'The bearer token is not known to this hub.', { status: 401, where: { header: 'Authorization' } });
  }
  return { principal, presented: true };
}
