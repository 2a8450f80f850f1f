import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, repoRoot, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, freshCode, signInApi, type Account } from './support/session';

// Each CLI run is a new process, and waits for a TOTP step the server has not seen yet (up to 30 s).
vi.setConfig({ testTimeout: 120_000 });

const main = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

const FILE = [
  'kind,value,risk,first_seen,last_seen,note',
  'phone,138 0013 8000,high,2026-03-01,,"Zunyi, call centre"',
  'domain,https://pay.evil-shop.com.cn/x,medium,,,',
  'fax,12345,,,,',
  'app,com.evil.loan,,,,',
  'phone,"13900"139000,,,,',
  'phone,13700137000,low,,,',
].join('\r\n');

/**
 * `fanzha indicators` as an operator runs it against a running server: an outsider that signs in and calls
 * the API, chunk by chunk.
 */
describe('fanzha indicators import and export against a running server', () => {
  let server: RunningServer | undefined;
  let dir = '';
  const admin = bootstrapAdmin();
  let analyst: Account;

  const fanzha = async (args: string[]) => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        'indicators',
        ...args,
        '--target',
        server!.url,
        '--code',
        await freshCode(analyst),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, FANZHA_USER: analyst.username, FANZHA_PASSWORD: analyst.password },
        encoding: 'utf8',
      },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    server = await startServer({ env: admin.env, timeoutMs: 120_000 });
    const adminApi = await signInApi(server.url, admin.account);
    analyst = await createAccount(adminApi, {
      username: 'fenxi.1',
      displayName: '研判员甲',
      role: 'analyst',
    });
    await signInApi(server.url, analyst);
    dir = await mkdtemp(join(tmpdir(), 'fanzha-indicators-'));
    await writeFile(join(dir, 'zunyi.csv'), FILE);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads a file, reporting its bad rows by line and loading the rest', async () => {
    const r = await fanzha([
      'import',
      join(dir, 'zunyi.csv'),
      '--origin',
      'Zunyi centre',
      '--rejects',
      join(dir, 'bad.csv'),
    ]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('imported 6 rows');
    expect(r.out).toContain('4 new indicators');
    expect(r.out).toContain('2 bad rows');
    expect(r.out).toMatch(/line 4: csv\.kind/);
    expect(r.out).toMatch(/line 6: csv\.quote/);
    const bad = await readFile(join(dir, 'bad.csv'), 'utf8');
    expect(bad.split('\r\n').filter(Boolean)).toHaveLength(3);
    const api = await signInApi(server!.url, analyst);
    const phone = await api.GET('/api/indicators/lookup', {
      params: { query: { kind: 'phone', value: '13800138000' } },
    });
    expect(phone.indicator).toMatchObject({ riskLevel: 'high', status: 'active' });
  });

  it('adds nothing when the same file is loaded again', async () => {
    const r = await fanzha(['import', join(dir, 'zunyi.csv'), '--origin', 'Zunyi centre']);
    expect(r.out).toContain('0 new indicators, 0 credited to the origin');
  });

  it('exports the registry as CSV and as a STIX 2.1 bundle', async () => {
    const csv = join(dir, 'out.csv');
    const r = await fanzha(['export', '--format', 'csv', '--out', csv]);
    expect(r.code, r.err).toBe(0);
    const lines = (await readFile(csv, 'utf8')).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('kind,value,risk,first_seen,last_seen,note,status');
    expect(lines).toHaveLength(5);
    const stix = join(dir, 'out.json');
    const s = await fanzha(['export', '--format', 'stix', '--out', stix]);
    expect(s.code, s.err).toBe(0);
    const bundle = JSON.parse(await readFile(stix, 'utf8')) as {
      type: string;
      objects: Array<{ pattern: string }>;
    };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.map((o) => o.pattern)).toContain("[domain-name:value = 'evil-shop.com.cn']");
  });

  it('loads a file of several chunks, two in flight, reporting bad rows in file order', async () => {
    // 12,000 records: three chunks; a bad number every 1,000th record.
    const rows = ['kind,value,risk,first_seen,last_seen,note'];
    for (let i = 0; i < 12_000; i++)
      rows.push(i % 1_000 === 999 ? 'phone,12,,,,' : `phone,${13_600_000_000 + i},medium,,,`);
    await writeFile(join(dir, 'big.csv'), rows.join('\n'));
    const r = await fanzha(['import', join(dir, 'big.csv'), '--rejects', join(dir, 'big-bad.csv')]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('imported 12000 rows');
    expect(r.out).toContain('11988 new indicators');
    const lines = (await readFile(join(dir, 'big-bad.csv'), 'utf8'))
      .split('\r\n')
      .filter(Boolean)
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(lines).toEqual(Array.from({ length: 12 }, (_, k) => 1_000 * k + 1_001));
  });
});
