import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

/** The problems a configuration is refused for, none when it is taken. */
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as ConfigError).problems;
  }
  return [];
};
import { limitClasses } from './platform/http/rate-limit';

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
      FANZHA_SECRET_KEY: 'ab'.repeat(32),
    });
    expect(c.secretKey?.length).toBe(32);
    expect(c).toMatchObject({
      port: 9000,
      role: 'worker',
      databaseUrl: 'postgres://u@db:5432/fanzha',
      demo: false,
    });
  });

  it('names a NATS namespace per deployment: given, or from where the database lives', () => {
    const key = { FANZHA_SECRET_KEY: 'ab'.repeat(32) };
    const at = (url: string) => loadConfig({ DATABASE_URL: url, ...key }).natsNamespace;
    expect(at('postgres://u@db-a:5432/fanzha')).toMatch(/^fanzha-[0-9a-f]{6}$/);
    // Same database, same namespace, whoever connects; another server or database, another namespace.
    expect(at('postgres://other:secret@db-a/fanzha?sslmode=require')).toBe(
      at('postgres://u@db-a:5432/fanzha'),
    );
    expect(at('postgres://u@db-b:5432/fanzha')).not.toBe(at('postgres://u@db-a:5432/fanzha'));
    expect(at('postgres://u@db-a:5432/Fanzha.Prod')).toMatch(/^fanzha_prod-[0-9a-f]{6}$/);
    expect(loadConfig({}).natsNamespace).toMatch(/^local-[0-9a-f]{6}$/);
    expect(loadConfig({ FANZHA_DATA_DIR: '/srv/a' }).natsNamespace).not.toBe(
      loadConfig({ FANZHA_DATA_DIR: '/srv/b' }).natsNamespace,
    );
    expect(loadConfig({ FANZHA_NATS_NAMESPACE: 'gz-centre' }).natsNamespace).toBe('gz-centre');
    expect(() => loadConfig({ FANZHA_NATS_NAMESPACE: 'GZ.centre' })).toThrow(/FANZHA_NATS_NAMESPACE/);
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

  it('gives each process 16 PostgreSQL connections unless told, and refuses a pool without PostgreSQL', () => {
    const db = { DATABASE_URL: 'postgres://127.0.0.1/fanzha', FANZHA_SECRET_KEY: 'ab'.repeat(32) };
    expect(loadConfig(db).dbPoolSize).toBe(16);
    expect(loadConfig({ ...db, FANZHA_DB_POOL_SIZE: '6' }).dbPoolSize).toBe(6);
    expect(() => loadConfig({ ...db, FANZHA_DB_POOL_SIZE: '3' })).toThrow(/FANZHA_DB_POOL_SIZE/);
    expect(() => loadConfig({ ...db, FANZHA_DB_POOL_SIZE: 'many' })).toThrow(/FANZHA_DB_POOL_SIZE/);
    expect(() => loadConfig({ FANZHA_DB_POOL_SIZE: '8' })).toThrow(
      /FANZHA_DB_POOL_SIZE: set without DATABASE_URL/,
    );
  });

  it('signs audit checkpoints hourly by default, and refuses a period or count that is not one', () => {
    expect(loadConfig({})).toMatchObject({ auditCheckpointMinutes: 60, auditCheckpointEntries: 100_000 });
    expect(
      loadConfig({ FANZHA_AUDIT_CHECKPOINT_MINUTES: '15', FANZHA_AUDIT_CHECKPOINT_ENTRIES: '500' }),
    ).toMatchObject({ auditCheckpointMinutes: 15, auditCheckpointEntries: 500 });
    expect(() =>
      loadConfig({ FANZHA_AUDIT_CHECKPOINT_MINUTES: '0', FANZHA_AUDIT_CHECKPOINT_ENTRIES: 'many' }),
    ).toThrow(/FANZHA_AUDIT_CHECKPOINT_MINUTES[\s\S]*FANZHA_AUDIT_CHECKPOINT_ENTRIES/);
  });

  it('caps the signals stream at 128 MiB unless told, and refuses a cap under 1 MiB or not a number', () => {
    expect(loadConfig({}).signalsMaxBytes).toBe(128 * 1024 ** 2);
    expect(loadConfig({ FANZHA_SIGNALS_MAX_BYTES: '8388608' }).signalsMaxBytes).toBe(8 * 1024 ** 2);
    expect(() => loadConfig({ FANZHA_SIGNALS_MAX_BYTES: '1000' })).toThrow(/FANZHA_SIGNALS_MAX_BYTES.*1 MiB/);
    expect(() => loadConfig({ FANZHA_SIGNALS_MAX_BYTES: '2GB' })).toThrow(/FANZHA_SIGNALS_MAX_BYTES/);
  });

  it('gives two-cards instructions 72 hours unless told, and refuses hours out of 1–720', () => {
    expect(loadConfig({}).twoCardInstructionSlaHours).toBe(72);
    expect(loadConfig({ FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS: '24' }).twoCardInstructionSlaHours).toBe(24);
    for (const bad of ['0', '721', '1.5', 'soon'])
      expect(() => loadConfig({ FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS: bad }), bad).toThrow(
        /FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS/,
      );
  });

  it('reads each countermeasure kind’s SLA hours once, as a decimal number, and keeps the others’ defaults', () => {
    const sla = loadConfig({
      FANZHA_COUNTERMEASURE_SLA_HOURS: 'block_phone=0.5, takedown_url=48',
    }).countermeasureSlaHours;
    expect(sla).toMatchObject({ block_phone: 0.5, takedown_url: 48 });
    expect(sla.block_app).toBe(loadConfig({}).countermeasureSlaHours.block_app);
    // Number() would read 0x10 as 16 and 1e2 as 100; a kind named twice kept its last silently.
    for (const bad of [
      'block_phone=0x10',
      'block_phone=1e2',
      'block_phone=2,block_phone=3',
      'block_phone=2=3',
      'block_phone=0',
      'block_phone=721',
      'fax=2',
    ])
      expect(() => loadConfig({ FANZHA_COUNTERMEASURE_SLA_HOURS: bad }), bad).toThrow(
        /FANZHA_COUNTERMEASURE_SLA_HOURS/,
      );
  });

  it("tells the supervisors of an appeal's failing effect after 5 failed attempts unless told, 1–100", () => {
    expect(loadConfig({}).appealEffectFailuresAlert).toBe(5);
    expect(loadConfig({ FANZHA_APPEAL_EFFECT_FAILURES_ALERT: '3' }).appealEffectFailuresAlert).toBe(3);
    for (const bad of ['0', '101', '2.5', 'often'])
      expect(() => loadConfig({ FANZHA_APPEAL_EFFECT_FAILURES_ALERT: bad }), bad).toThrow(
        /FANZHA_APPEAL_EFFECT_FAILURES_ALERT/,
      );
  });

  it('uses the international algorithms unless told to use the commercial ones', () => {
    expect(loadConfig({}).crypto).toBe('international');
    expect(loadConfig({ FANZHA_CRYPTO: 'commercial' }).crypto).toBe('commercial');
    expect(() => loadConfig({ FANZHA_CRYPTO: 'sm2' })).toThrow(/FANZHA_CRYPTO/);
  });

  it('refuses split roles on the embedded database or bus', () => {
    expect(() => loadConfig({ FANZHA_ROLE: 'api' })).toThrow(/needs DATABASE_URL[\s\S]*needs NATS_URL/);
    expect(() => loadConfig({ FANZHA_ROLE: 'api', DATABASE_URL: 'postgres://x/y' })).toThrow(
      /needs NATS_URL/,
    );
  });

  it('needs a shared secret key with PostgreSQL, and never echoes secrets', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(/FANZHA_SECRET_KEY: required/);
    let message = '';
    try {
      loadConfig({ FANZHA_SECRET_KEY: 'not-hex-sekrit', FANZHA_BOOTSTRAP_ADMIN: 'admin:short' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('FANZHA_SECRET_KEY');
    expect(message).toContain('FANZHA_BOOTSTRAP_ADMIN');
    expect(message).not.toContain('sekrit');
    expect(message).not.toContain('short');
  });

  it('runs the demo only on the embedded database, listening on this machine alone', () => {
    expect(loadConfig({})).toMatchObject({ demo: true, host: '127.0.0.1' });
    expect(loadConfig({ FANZHA_HOST: '0.0.0.0' })).toMatchObject({ demo: true, host: '0.0.0.0' });
    expect(loadConfig({ FANZHA_DEMO: 'off' })).toMatchObject({ demo: false, host: '0.0.0.0' });
    const production = { DATABASE_URL: 'postgres://x/y', FANZHA_SECRET_KEY: 'ab'.repeat(32) };
    expect(loadConfig(production)).toMatchObject({ demo: false, host: '0.0.0.0', isProduction: true });
    expect(loadConfig({}).isProduction).toBe(false);
    let error: unknown;
    try {
      loadConfig({ ...production, FANZHA_DEMO: 'on', FANZHA_PORT: 'x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^FANZHA_PORT/),
        expect.stringMatching(/^FANZHA_DEMO: .*DATABASE_URL/),
      ]),
    );
  });

  it('trusts no proxy unless told, and only well-formed addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ FANZHA_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
      'loopback',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example', '1.2.3.4/8/1'])
      expect(() => loadConfig({ FANZHA_TRUST_PROXY: bad }), bad).toThrow(/FANZHA_TRUST_PROXY/);
  });

  it('serves metrics only when their port is set, on this machine unless told, never on the API port', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ FANZHA_METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ FANZHA_METRICS_PORT: '9464', FANZHA_METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(loadConfig({ FANZHA_PORT: '0', FANZHA_METRICS_PORT: '0' }).metrics?.port).toBe(0);
    for (const bad of ['-1', '65536', 'nine', '94.64'])
      expect(problemsOf({ FANZHA_METRICS_PORT: bad }), bad).toEqual([
        expect.stringMatching(/^FANZHA_METRICS_PORT/),
      ]);
    expect(problemsOf({ FANZHA_METRICS_PORT: '9464', FANZHA_METRICS_HOST: 'not a host!' })).toEqual([
      expect.stringMatching(/^FANZHA_METRICS_HOST/),
    ]);
    expect(problemsOf({ FANZHA_METRICS_HOST: '127.0.0.1' })).toEqual([
      expect.stringMatching(/^FANZHA_METRICS_HOST: .*without FANZHA_METRICS_PORT/),
    ]);
    expect(problemsOf({ FANZHA_METRICS_PORT: '8080' })).toEqual([
      expect.stringMatching(/^FANZHA_METRICS_PORT: must differ from FANZHA_PORT/),
    ]);
    expect(problemsOf({ FANZHA_PORT: '9000', FANZHA_METRICS_PORT: '9000' })).toEqual([
      expect.stringMatching(/^FANZHA_METRICS_PORT: must differ from FANZHA_PORT/),
    ]);
  });

  it('reads the bootstrap admin', () => {
    expect(loadConfig({ FANZHA_BOOTSTRAP_ADMIN: 'root:correct horse battery' }).bootstrapAdmin).toEqual({
      username: 'root',
      password: 'correct horse battery',
    });
  });

  it('says which part of a bootstrap admin is wrong: the username or the password', () => {
    expect(problemsOf({ FANZHA_BOOTSTRAP_ADMIN: 'li:Bootstrap-Adm1n-pass' })).toEqual([
      expect.stringMatching(/^FANZHA_BOOTSTRAP_ADMIN: must be username:password, the username 3–32/),
    ]);
    expect(problemsOf({ FANZHA_BOOTSTRAP_ADMIN: 'Root:Bootstrap-Adm1n-pass' })).toHaveLength(1);
    expect(problemsOf({ FANZHA_BOOTSTRAP_ADMIN: 'root:short' })).toEqual([
      expect.stringMatching(
        /^FANZHA_BOOTSTRAP_ADMIN: the password \(after the first colon\) must be at least 12/,
      ),
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ FANZHA_PORT: '', DATABASE_URL: '' }).port).toBe(8080);
  });

  it('reads each rate-limit class from its variable, refuses a malformed one, and turns all off with FANZHA_RATE_LIMITS', () => {
    const config = loadConfig({ FANZHA_RATE_SESSION: '20/s', FANZHA_RATE_HEALTH: 'off' });
    expect(config.rateLimits.session).toEqual({ count: 20, perMs: 1000 });
    expect(config.rateLimits.health).toBeUndefined();
    expect(config.rateLimits['sign-in']).toEqual({ count: 300, perMs: 60_000 });
    expect(() => loadConfig({ FANZHA_RATE_BANK_KEY: '100 a second', FANZHA_RATE_STATIC: '0/s' })).toThrow(
      /FANZHA_RATE_STATIC: must be N\/s[\s\S]*FANZHA_RATE_BANK_KEY: must be N\/s/,
    );
    const off = loadConfig({ FANZHA_RATE_LIMITS: 'off' });
    expect(limitClasses.map((c) => off.rateLimits[c])).toEqual(limitClasses.map(() => undefined));
  });
});
