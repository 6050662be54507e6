/**
 * Argument parsing for every command: node's parseArgs, with its errors turned into our
 * `usage` error (exit 2) and, where the command gives one, its usage text appended.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DatalyftError } from '../errors.ts';

export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage?: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new DatalyftError('usage', usage ? `${(error as Error).message}\n\nUsage:\n${usage}` : (error as Error).message);
  }
}
