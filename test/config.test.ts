import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { DatalyftError } from '../src/errors.ts';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.defaultRegime).toBe('gallande-ratt');
    expect(config.queryTimeoutMs).toBe(10000);
    expect(config.minGroupSize).toBe(5);
  });

  it('names every bad variable and what it accepts', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATALYFT_REGIME: 'sou-2099-1', DATALYFT_ERASURE_DATE: '13-40' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatalyftError);
    const e = error as DatalyftError;
    expect(e.code).toBe('config-invalid');
    expect(e.message).toContain('PORT="eighty"');
    expect(e.message).toContain('DATALYFT_REGIME="sou-2099-1"');
    expect(e.message).toContain('DATALYFT_ERASURE_DATE="13-40"');
  });

  it('reads values from the environment', () => {
    const config = loadConfig({ PORT: '0', DATALYFT_DATA_DIR: '/tmp/x', DATALYFT_REGIME: 'sou-2025-108', DATALYFT_MIN_GROUP_SIZE: '10' });
    expect(config).toMatchObject({ port: 0, dataDir: '/tmp/x', defaultRegime: 'sou-2025-108', minGroupSize: 10 });
  });
});
