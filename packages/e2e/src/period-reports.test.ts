import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, repoRoot, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, freshCode, signInApi, type Account } from './support/session';

// Each CLI run is a new process, and waits for a TOTP step the server has not seen yet (up to 30 s).
vi.setConfig({ testTimeout: 120_000 });

const main = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
const CHINA_TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * `fanzha report` as an operator runs it against a running server: an outsider that signs in and calls the
 * API. The files it saves are opened as a reader would: the xlsx parsed, the PDF rendered to an image.
 */
describe('fanzha report (日报/周报/月报) against a running server', () => {
  let server: RunningServer | undefined;
  let dir = '';
  const admin = bootstrapAdmin();
  let supervisor: Account;

  const fanzha = async (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'report', ...args], {
      cwd: repoRoot,
      env: { ...process.env, FANZHA_USER: supervisor.username, FANZHA_PASSWORD: supervisor.password },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const withCode = async (args: string[]) =>
    fanzha([...args, '--target', server!.url, '--code', await freshCode(supervisor)]);

  beforeAll(async () => {
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    supervisor = await createAccount(adminApi, {
      username: 'zhiban.17',
      displayName: '值班长甲',
      role: 'supervisor',
    });
    await signInApi(server.url, supervisor);
    dir = await mkdtemp(join(tmpdir(), 'fanzha-report-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('saves today’s daily report as xlsx with the figures the API kept', async () => {
    const out = join(dir, 'daily.xlsx');
    const r = await withCode(['daily', '--date', CHINA_TODAY, '--format', 'xlsx', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('日报');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(out)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('银行榜');
    const api = await signInApi(server!.url, supervisor);
    const { reports } = await api.GET('/api/period-reports', { params: { query: { kind: 'daily' } } });
    const detail = await api.GET('/api/period-reports/{id}', { params: { path: { id: reports[0]!.id } } });
    const s = wb.getWorksheet('概况')!;
    expect(s.getCell('B5').value).toBe(detail.figures.summary.reports);
    expect(s.getCell('B6').value).toBe(detail.figures.summary.lossFen / 100);
  });

  it('saves the month as a PDF that renders to an image', async () => {
    const out = join(dir, 'monthly.pdf');
    const r = await withCode(['monthly', '--date', CHINA_TODAY, '--format', 'pdf', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const text = spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('月报');
    expect(text).toContain('三分钟时钟');
    const png = spawnSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', out, join(dir, 'm')]);
    expect(png.status).toBe(0);
    expect((await readFile(join(dir, 'm-1.png'))).length).toBeGreaterThan(1000);
  });

  it('refuses a future date and an unknown format, and writes nothing', async () => {
    const future = await withCode([
      'daily',
      '--date',
      '2999-01-01',
      '--format',
      'pdf',
      '--out',
      join(dir, 'x.pdf'),
    ]);
    expect(future.code).toBe(1);
    expect(future.err).toContain('refused');
    const format = await fanzha([
      'daily',
      '--date',
      CHINA_TODAY,
      '--format',
      'docx',
      '--out',
      join(dir, 'y'),
    ]);
    expect(format.code).toBe(2);
    await expect(readFile(join(dir, 'x.pdf'))).rejects.toThrow();
  });
});
