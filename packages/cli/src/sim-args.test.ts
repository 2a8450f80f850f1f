import { describe, expect, it } from 'vitest';
import { parseDuration, parseFault, parsePace, parseRate, parseSimArgs, SimUsageError } from './sim-args';

const parse = (argv: string[], env: Record<string, string> = {}) => parseSimArgs(argv, env);
const refusal = (argv: string[], env: Record<string, string> = {}) => {
  try {
    parse(argv, env);
  } catch (err) {
    if (err instanceof SimUsageError) return err.message;
    throw err;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('fanzha sim flags', () => {
  it('read durations, rates, paces and faults as people write them', () => {
    expect(parseDuration('--duration', '90s')).toBe(90_000);
    expect(parseDuration('--duration', '5m')).toBe(300_000);
    expect(parseDuration('--duration', '1h')).toBe(3_600_000);
    expect(parseDuration('--duration', '30')).toBe(30_000);
    expect(parseRate('120')).toBe(120);
    expect(parseRate('5/s')).toBe(300);
    expect(parsePace('human')).toBe(1);
    expect(parsePace('0.05')).toBe(0.05);
    expect(parseFault('ICBC:slow=3')).toEqual(['ICBC', { slow: 3 }]);
    expect(parseFault('CCB:pause')).toEqual(['CCB', { isPaused: true }]);
    expect(parseFault('CCB:pause=30s')).toEqual(['CCB', { isPaused: true, pausedForMs: 30_000 }]);
    expect(parseFault('ABC:twice')).toEqual(['ABC', { isAnsweringTwice: true }]);
  });

  it('default to the demo on this machine, 60 reports a minute for a minute, people’s pace', () => {
    const { options, isJson } = parse([]);
    expect(options).toMatchObject({
      target: 'http://127.0.0.1:8080',
      auth: { kind: 'demo' },
      ratePerMinute: 60,
      durationMs: 60_000,
      pace: 1,
      isDeskRobot: true,
      isCaseRobot: true,
    });
    expect(parse(['--cases', 'people']).options.isCaseRobot).toBe(false);
    expect(options.banksForPeople).toBeUndefined();
    expect(parse(['--people-banks', 'icbc, CCB']).options.banksForPeople).toEqual(['ICBC', 'CCB']);
    expect(isJson).toBe(false);
    expect(parse(['--duration', 'forever']).options.durationMs).toBeUndefined();
    expect(parse(['--seed', '42']).options.seed).toBe(42);
    expect(parse(['--seed', 'guizhou']).options.seed).toBe('guizhou');
  });

  it('take an admin from the flag and the secrets from the environment', () => {
    const env = {
      FANZHA_SIM_ADMIN_PASSWORD: 'pw-pw-pw-pw-pw',
      FANZHA_SIM_ADMIN_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
    };
    expect(parse(['--admin', 'root'], env).options.auth).toEqual({
      kind: 'admin',
      username: 'root',
      password: 'pw-pw-pw-pw-pw',
      totpSecret: 'JBSWY3DPEHPK3PXP',
    });
    expect(refusal(['--admin', 'root'])).toContain('FANZHA_SIM_ADMIN_PASSWORD');
  });

  it('refuse bad flags saying which and why', () => {
    expect(refusal(['--rate', 'fast'])).toContain('--rate');
    expect(refusal(['--rate', '0'])).toContain('more than 0');
    expect(refusal(['--duration', '5 minutes'])).toContain('--duration');
    expect(refusal(['--pace', 'slow'])).toContain('--pace');
    expect(refusal(['--intake', 'voice'])).toContain('--intake');
    expect(refusal(['--desk', 'nobody'])).toContain('--desk');
    expect(refusal(['--cases', 'nobody'])).toContain('--cases');
    expect(refusal(['--fault', 'ICBC:slowly'])).toContain('--fault');
    expect(refusal(['--nats', 'http://x'])).toContain('--nats');
    expect(refusal(['--target', 'localhost'])).toContain('--target');
    expect(refusal(['--nats-namespace', 'Centre.A'])).toContain('--nats-namespace');
    expect(refusal(['--bogus'])).toContain('--bogus');
    expect(refusal(['extra'])).toContain('extra');
  });

  it("post banks' transfer signals over HTTP, without NATS", () => {
    expect(parse([]).options.bankSignalsPerMinute).toBe(0);
    expect(parse(['--bank-signals', '600']).options.bankSignalsPerMinute).toBe(600);
    expect(parse(['--bank-signals', '600']).options.natsUrl).toBeUndefined();
    expect(refusal(['--bank-signals', 'lots'])).toContain('--bank-signals');
    expect(refusal(['--bank-signals', '-1'])).toContain('--bank-signals');
  });

  it('request countermeasures and look values up when asked', () => {
    expect(parse([]).options).toMatchObject({
      countermeasuresPerMinute: 0,
      lookupsPerMinute: 0,
      payeeChecksPerMinute: 0,
    });
    const o = parse(['--countermeasures', '10', '--lookups', '6', '--payee-checks', '12']).options;
    expect(o).toMatchObject({ countermeasuresPerMinute: 10, lookupsPerMinute: 6, payeeChecksPerMinute: 12 });
    expect(refusal(['--lookups', 'many'])).toContain('--lookups');
    expect(refusal(['--payee-checks', '-2'])).toContain('--payee-checks');
  });

  it("post operators' signals over HTTPS when there is no NATS", () => {
    expect(parse(['--signals', '600']).options).toMatchObject({ signalsPerMinute: 600, natsUrl: undefined });
    expect(parse(['--signals', '600'], { NATS_URL: 'nats://n:4222' }).options.natsUrl).toBe('nats://n:4222');
  });

  it("publish signals on the deployment's namespace when told it", () => {
    const nats = ['--signals', '1000', '--nats', 'nats://n:4222'];
    expect(parse(nats).options.natsNamespace).toBeUndefined();
    expect(parse([...nats, '--nats-namespace', 'gz-centre']).options.natsNamespace).toBe('gz-centre');
    expect(parse(nats, { FANZHA_NATS_NAMESPACE: 'gz-b' }).options.natsNamespace).toBe('gz-b');
  });
});
