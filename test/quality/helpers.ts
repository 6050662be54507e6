/** Shared by the quality tests: the fixture log and what a full identity number looks like. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_LOG = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'ingests.jsonl');

/** Anything shaped like a full identity number: 12 or 10 digits, with or without separator, or a hyphenated date and four digits. */
export const FULL_IDENTIFIER = /(?<![0-9])([0-9]{8}[-+ ]?[0-9]{4}|[0-9]{6}[-+]?[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}[-+ ]?[0-9]{4})(?![0-9])/;
