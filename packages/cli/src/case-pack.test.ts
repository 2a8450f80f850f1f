import { describe, expect, it } from 'vitest';
import { CasePackUsageError, parseCasePackArgs } from './case-pack';

const ID = '3f1c1d2e-0000-4000-8000-0000000000aa';
const refusal = (argv: string[], env: Record<string, string> = { FANZHA_USER: 'yanpan' }) => {
  try {
    parseCasePackArgs(argv, env);
  } catch (err) {
    if (err instanceof CasePackUsageError) return err.message;
    throw err;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('fanzha case-pack flags', () => {
  it('default to both files under FIFO from the local server, the user from FANZHA_USER', () => {
    expect(parseCasePackArgs([ID, '--out', 'packs'], { FANZHA_USER: 'yanpan' })).toEqual({
      clusterId: ID,
      out: 'packs',
      rule: 'fifo',
      formats: ['xlsx', 'pdf'],
      target: 'http://127.0.0.1:8080',
      username: 'yanpan',
      code: undefined,
    });
  });

  it('take a rule, one format, a server and a code', () => {
    const args = parseCasePackArgs(
      [
        ID,
        '--out',
        'd',
        '--rule',
        'proportional',
        '--format',
        'pdf',
        '--target',
        'https://c.example/',
        '--user',
        'a',
        '--code',
        '123456',
      ],
      {},
    );
    expect(args).toMatchObject({
      rule: 'proportional',
      formats: ['pdf'],
      target: 'https://c.example',
      username: 'a',
      code: '123456',
    });
  });

  it('refuse what the server would refuse, before signing in', () => {
    expect(refusal(['--out', 'd'])).toMatch(/exactly one CLUSTER-ID/);
    expect(refusal([ID, ID, '--out', 'd'])).toMatch(/exactly one CLUSTER-ID/);
    expect(refusal(['gang-7', '--out', 'd'])).toMatch(/not a cluster id/);
    expect(refusal([ID])).toMatch(/--out DIR is required/);
    expect(refusal([ID, '--out', 'd', '--rule', 'median'])).toMatch(/--rule must be/);
    expect(refusal([ID, '--out', 'd', '--format', 'csv'])).toMatch(/--format takes .* not csv/);
    expect(refusal([ID, '--out', 'd', '--depth', '3'])).toMatch(/depth/);
    expect(refusal([ID, '--out', 'd'], {})).toMatch(/--user/);
  });
});
