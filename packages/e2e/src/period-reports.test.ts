import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchBrowser } from './support/browser';
import { assertWebBuilt, startServer, repoRoot, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  freshCode,
  openSignedIn,
  signInApi,
  type Account,
} from './support/session';

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
  let browser: Browser | undefined;
  const opened = { contexts: [] as Awaited<ReturnType<Browser['newContext']>>[], pageErrors: [] as string[] };

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
    assertWebBuilt();
    server = await startServer({ env: admin.env, timeoutMs: 120_000 });
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
    for (const c of opened.contexts) await c.close();
    await browser?.close();
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

  it('lets the supervisor generate a report in the console and download it (xlsx parsed, PDF rendered)', async () => {
    browser = await launchBrowser();
    const page = await openSignedIn(browser, server!.url, supervisor, '/tasks', opened);
    const panel = page.getByTestId('period-reports');
    await panel.waitFor();
    await panel.getByRole('textbox', { name: '日期（北京时间）' }).fill(CHINA_TODAY);
    await page.getByTestId('period-report-generate').click();
    await panel.getByText('已生成').waitFor();
    const api = await signInApi(server!.url, supervisor);
    const { reports } = await api.GET('/api/period-reports', { params: { query: { kind: 'daily' } } });
    const newest = reports[0]!;
    expect(newest.origin).toBe('demand');

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`period-report-xlsx-${newest.id}`).click(),
    ]);
    expect(xlsx.suggestedFilename()).toContain('日报');
    const xlsxPath = join(dir, 'console.xlsx');
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(xlsxPath)) as unknown as ArrayBuffer);
    const detail = await api.GET('/api/period-reports/{id}', { params: { path: { id: newest.id } } });
    expect(wb.getWorksheet('三分钟时钟')!.getCell('B2').value).toBe(detail.figures.clock.reports);

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`period-report-pdf-${newest.id}`).click(),
    ]);
    const pdfPath = join(dir, 'console.pdf');
    await pdf.saveAs(pdfPath);
    expect(
      spawnSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', pdfPath, join(dir, 'c')]).status,
    ).toBe(0);
    expect((await readFile(join(dir, 'c-1.png'))).length).toBeGreaterThan(1000);
    expect(opened.pageErrors).toEqual([]);
  });
});
