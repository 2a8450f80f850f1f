import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to the embedded mode on port 8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, role: 'all', dataDir: './data', demo: true });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.natsUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the scale-out settings', () => {
    const c = loadConfig({
      FANZHA_PORT: '9000',
      FANZHA_ROLE: 'worker',
      DATABASE_URL: 'postgres://u@db:5432/fanzha',
      NATS_URL: 'nats://nats:4222',
      FANZHA_DEMO: 'off',
    });
    expect(c).toMatchObject({
      port: 9000,
      role: 'worker',
      databaseUrl: 'postgres://u@db:5432/fanzha',
      demo: false,
    });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        FANZHA_PORT: 'eighty',
        FANZHA_ROLE: 'boss',
        DATABASE_URL: 'mysql://x',
        FANZHA_DEMO: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['FANZHA_PORT', 'FANZHA_ROLE', 'DATABASE_URL', 'FANZHA_DEMO'])
      expect(problems).toContain(name);
  });

  it('refuses split roles on the embedded database or bus', () => {
    expect(() => loadConfig({ FANZHA_ROLE: 'api' })).toThrow(/needs DATABASE_URL[\s\S]*needs NATS_URL/);
    expect(() => loadConfig({ FANZHA_ROLE: 'api', DATABASE_URL: 'postgres://x/y' })).toThrow(
      /needs NATS_URL/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ FANZHA_PORT: '', DATABASE_URL: '' }).port).toBe(8080);
  });
});
