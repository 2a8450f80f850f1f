import type { StopPaymentView } from '@fanzha/contracts';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCast, createHarness, signInCast, type Cast } from '../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../testing/core-loop-fixtures';
import { migrate, openDatabase } from '../db/database';
import { migrations } from '../db/migrations/index';
import { sealAudit, verifyAudit } from '../modules/audit/index';
import { backupEmbedded } from './backup';
import { BackupError } from './backup-format';
import { restoreEmbedded } from './restore';
import { readTar, writeTar } from './tar';
import { readFacts } from './backup.repository';

/**
 * The restore drill, on real folders: a deployment with cases in it is backed up and restored into a new
 * folder, which must hold the same trail and records and reach the same legal deadlines as the original.
 */
// Every step opens PGlite on a folder, which takes seconds.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const START = '2026-05-01T08:00:00Z';
const KEY = 'ab'.repeat(32);
const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  FANZHA_DATA_DIR: dataDir,
  ...extra,
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fanzha-backup-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The app on a data folder, as the server runs it, with a test clock. */
async function openDeployment(dataDir: string, start = START) {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(database.db);
  const h = await createHarness({ ...database, url: undefined }, { start });
  return {
    h,
    db: database.db,
    async close() {
      await h.close();
      await database.close();
    },
  };
}

const cast: Cast = [
  ['taker', 'call_taker', {}],
  ['desk', 'stop_payment_officer', {}],
  ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
  ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
  ['nanming', 'county_police', { countyCode: '520102' }],
];

/**
 * A submitted report whose ICBC and CCB accounts the banks stopped, the ICBC one then frozen (a legal
 * deadline months away), and a draft whose request is still pending; the audit trail sealed.
 */
async function seed(dataDir: string) {
  const d = await openDeployment(dataDir);
  const { h } = d;
  await createCast(h, cast);
  const c = await signInCast(h, cast);
  const post = (who: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const ok = async <R extends { statusCode: number; body: string }>(res: Promise<R>) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };

  const { id, report } = await reportWith(
    h,
    c.taker!,
    [
      { number: cardOf('ICBC', 71), amountFen: 5_000_000 },
      { number: cardOf('CCB', 72), amountFen: 2_000_000 },
    ],
    { complete: true, countyCode: '520102' },
  );
  await ok(post('taker', `/api/reports/${id}/submit`, { version: report.version }));
  const requests = await queue(h, c.desk!, `?reportId=${id}`);
  expect(requests).toHaveLength(2);
  const byBank = (bank: string) => requests.find((r) => r.account.bankCode === bank)!;
  for (const [who, bank] of [
    ['icbc', 'ICBC'],
    ['ccb', 'CCB'],
  ] as const) {
    const request = byBank(bank);
    await ok(post('desk', `/api/stop-payments/${request.id}/send`, { legalDocNumber: 'GZ-ZF-0001' }));
    await ok(
      post(
        who,
        `/api/bank/instructions/${request.id}/result`,
        { outcome: 'stopped', stoppedFen: 1_500_000, balanceFen: 1_500_000, onwardTransfers: [] },
        { 'idempotency-key': `k-${request.id}` },
      ),
    );
  }
  const freezing = (
    await ok(
      post('nanming', `/api/stop-payments/${byBank('ICBC').id}/freeze`, {
        decisionNumber: '筑公(南)冻字〔2026〕001号',
        amountFen: 1_500_000,
        reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
        appealChannel: '贵阳市公安局南明分局法制大队',
      }),
    )
  ).json<StopPaymentView>();
  await ok(
    post(
      'icbc',
      `/api/bank/instructions/${freezing.freeze!.instructionId}/confirm`,
      { outcome: 'frozen', amountFen: 1_500_000, executedAt: h.clock.now().toISOString() },
      { 'idempotency-key': `c-${freezing.freeze!.instructionId}` },
    ),
  );
  await reportWith(h, c.taker!, [{ number: cardOf('ABC', 73), amountFen: 800_000 }]);
  while ((await sealAudit(d.db)) > 0);
  const freeze = await d.db
    .selectFrom('account_freeze')
    .select('ends_at')
    .where('stop_payment_id', '=', byBank('ICBC').id)
    .executeTakeFirstOrThrow();
  await d.close();
  return { freezeEndsAt: freeze.ends_at };
}

/** The legal timers' sweep at `at` on a folder: what it changed and every alert there is afterwards. */
async function sweepAt(dataDir: string, at: Date) {
  const d = await openDeployment(dataDir, at.toISOString());
  try {
    const changed = await d.h.app.services.legalTimers.sweepOnce(at);
    const alerts = await sql<{ kind: string; threshold: string; object_id: string }>`
      select kind, threshold, object_id from alert order by kind, threshold, object_id`.execute(d.db);
    const stops = await sql<{ id: string; status: string; lapsed_at: Date | null }>`
      select id, status, lapsed_at from stop_payment order by id`.execute(d.db);
    return {
      changed,
      alerts: alerts.rows,
      stops: stops.rows,
      verification: await verifyAudit(d.db),
      facts: await readFacts(d.db),
    };
  } finally {
    await d.close();
  }
}

async function expectRefusal(work: Promise<unknown>, exitCode: 1 | 2, message: RegExp) {
  const err: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupError);
  expect((err as BackupError).exitCode).toBe(exitCode);
  expect((err as BackupError).message).toMatch(message);
}

describe('backup and restore of the embedded database', () => {
  let original: string;
  let archive: string;
  let freezeEndsAt: Date;

  beforeAll(async () => {
    original = join(root, 'original');
    ({ freezeEndsAt } = await seed(original));
    writeFileSync(join(original, 'secret.key'), `${KEY}\n`, { mode: 0o600 });
    archive = join(root, 'nightly.fanzha');
  });

  it('drill: the restored folder holds the same trail and records, and the sweep finds the same deadlines', async () => {
    const backup = await backupEmbedded({ file: archive, env: env(original) });
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(backup.manifest.counts.reports).toBe(2);
    expect(backup.manifest.counts.stopPaymentRequests).toBe(3);
    expect(backup.manifest.auditHead?.seq).toBe(backup.manifest.counts.auditEntries);
    expect(backup.manifest.secretKey.isIncluded).toBe(false);
    expect(backup.manifest.secretKey.keyId).toMatch(/^[0-9a-f]{16}$/);
    // Nothing left behind: neither the lock nor a temporary file.
    expect(existsSync(join(original, 'fanzha.pid'))).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);

    const restored = join(root, 'restored');
    const r = await restoreEmbedded({ file: archive, env: env(restored) });
    expect(r).toMatchObject({ isOk: true, isAsBackedUp: true, migrated: [], secretKey: 'missing' });
    expect(r.verification).toMatchObject({ isIntact: true, checked: backup.manifest.counts.auditEntries });
    expect(r.facts).toEqual({
      migration: backup.manifest.migration,
      auditHead: backup.manifest.auditHead,
      counts: backup.manifest.counts,
    });
    // The key is not in the backup: the restored folder has none until the operator puts it back.
    expect(existsSync(join(restored, 'secret.key'))).toBe(false);
    expect(statSync(restored).mode & 0o777).toBe(0o700);
    expect(readdirSync(root).filter((f) => f.includes('restoring'))).toEqual([]);

    // A day before the freeze ends: the CCB stop lapsed long ago, the county task is overdue, the
    // freeze is ending. Both folders, swept at the same moment, must see exactly the same.
    const at = new Date(freezeEndsAt.getTime() - 12 * 3_600_000);
    const before = await sweepAt(original, at);
    const after = await sweepAt(restored, at);
    expect(before.changed).toBeGreaterThan(0);
    expect(new Set(before.alerts.map((a) => a.kind))).toEqual(
      new Set(['stop_lapsed', 'freeze_ending', 'task_overdue']),
    );
    expect(after.changed).toBe(before.changed);
    expect(after.alerts).toEqual(before.alerts);
    expect(after.stops).toEqual(before.stops);
    expect(after.verification).toEqual(before.verification);
    expect(after.verification.isIntact).toBe(true);
    expect(after.facts).toEqual(before.facts);
  });

  it('includes the secret key only when asked, and restores it owner-only', async () => {
    const withKey = join(root, 'with-key.fanzha');
    const backup = await backupEmbedded({ file: withKey, hasSecretKey: true, env: env(original) });
    expect(backup.manifest.secretKey.isIncluded).toBe(true);
    const restored = join(root, 'restored-with-key');
    const r = await restoreEmbedded({ file: withKey, env: env(restored) });
    expect(r).toMatchObject({ isOk: true, secretKey: 'from_backup' });
    expect(readFileSync(join(restored, 'secret.key'), 'utf8').trim()).toBe(KEY);
    expect(statSync(join(restored, 'secret.key')).mode & 0o777).toBe(0o600);
    // With the key in FANZHA_SECRET_KEY there is nothing in the folder to include.
    await expectRefusal(
      backupEmbedded({
        file: join(root, 'never.fanzha'),
        hasSecretKey: true,
        env: env(original, { FANZHA_SECRET_KEY: KEY }),
      }),
      2,
      /FANZHA_SECRET_KEY is set/,
    );
  });

  it('refuses an archive with one byte changed, and leaves the target untouched', async () => {
    const bytes = readFileSync(archive);
    const tampered = join(root, 'tampered.fanzha');
    const changed = Buffer.from(bytes);
    // Inside the data, past the manifest and the headers.
    const at = Math.floor(bytes.length / 2);
    changed[at] = changed[at]! ^ 0x01;
    writeFileSync(tampered, changed);
    const target = join(root, 'from-tampered');
    await expectRefusal(restoreEmbedded({ file: tampered, env: env(target) }), 1, /damaged.*SHA-256/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('from-tampered'))).toEqual([]);
    // A header changed: not read as a backup at all.
    const header = Buffer.from(bytes);
    header[0] = header[0]! ^ 0x01;
    writeFileSync(tampered, header);
    await expectRefusal(restoreEmbedded({ file: tampered, env: env(target) }), 1, /not a fanzha backup/);
  });

  it('refuses a backup of a newer schema, whatever the name of its last migration', async () => {
    const entries = readTar(readFileSync(archive));
    for (const migration of ['9999-later', 'constructor', 'toString']) {
      const newer = entries.map((e) => {
        if (e.name !== 'manifest.json') return e;
        const manifest = JSON.parse(Buffer.from(e.data).toString('utf8')) as Record<string, unknown>;
        const data = Buffer.from(JSON.stringify({ ...manifest, migration }));
        return { name: e.name, data, mtime: new Date() };
      });
      const file = join(root, `newer-${migration}.fanzha`);
      writeFileSync(file, writeTar(newer));
      const target = join(root, `from-newer-${migration}`);
      await expectRefusal(restoreEmbedded({ file, env: env(target) }), 2, /made by a newer fanzha/);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('refuses a folder that holds anything unless --replace, and then keeps the old one aside', async () => {
    const target = join(root, 'in-use');
    await mkdir(target);
    writeFileSync(join(target, 'notes.txt'), 'what was here');
    await expectRefusal(restoreEmbedded({ file: archive, env: env(target) }), 2, /not empty.*--replace/);
    expect(readdirSync(target)).toEqual(['notes.txt']);

    const r = await restoreEmbedded({
      file: archive,
      isReplacing: true,
      env: env(target, { FANZHA_SECRET_KEY: 'cd'.repeat(32) }),
    });
    expect(r.isOk).toBe(true);
    // The key in the environment is checked against the one the backup names.
    expect(r.secretKey).toBe('environment_differs');
    expect(r.replacedTo).toMatch(/in-use\.replaced-\d{8}T\d{6}Z$/);
    expect(readFileSync(join(r.replacedTo!, 'notes.txt'), 'utf8')).toBe('what was here');
    expect(existsSync(join(target, 'PG_VERSION'))).toBe(true);

    // An empty folder is as good as none.
    const empty = join(root, 'empty');
    await mkdir(empty);
    expect(await restoreEmbedded({ file: archive, env: env(empty) })).toMatchObject({
      isOk: true,
      replacedTo: undefined,
    });
    expect(existsSync(join(empty, 'PG_VERSION'))).toBe(true);
  });

  it('with --replace, keeps the replaced folder’s secret key when it is the one the backup names', async () => {
    const r = await restoreEmbedded({ file: archive, isReplacing: true, env: env(original) });
    expect(r).toMatchObject({ isOk: true, secretKey: 'from_replaced_folder' });
    expect(readFileSync(join(original, 'secret.key'), 'utf8').trim()).toBe(KEY);
    expect(readFileSync(join(r.replacedTo!, 'secret.key'), 'utf8').trim()).toBe(KEY);
  });

  it('refuses to back up while a server holds the folder, into the folder, or on PostgreSQL', async () => {
    // A live process other than this one: the test runner's parent.
    writeFileSync(join(original, 'fanzha.pid'), `${process.ppid}\n`);
    try {
      await expectRefusal(
        backupEmbedded({ file: join(root, 'locked.fanzha'), env: env(original) }),
        2,
        new RegExp(`running on .* \\(process ${process.ppid}\\)`),
      );
      await expectRefusal(
        restoreEmbedded({ file: archive, isReplacing: true, env: env(original) }),
        2,
        /running on/,
      );
    } finally {
      await rm(join(original, 'fanzha.pid'));
    }
    expect(existsSync(join(root, 'locked.fanzha'))).toBe(false);
    await expectRefusal(
      backupEmbedded({ file: join(original, 'inside.fanzha'), env: env(original) }),
      2,
      /outside the data folder/,
    );
    const postgres = { DATABASE_URL: 'postgres://fanzha@db/fanzha', FANZHA_SECRET_KEY: KEY };
    await expectRefusal(
      backupEmbedded({ file: join(root, 'pg.fanzha'), env: env(original, postgres) }),
      2,
      /pg_dump.*docs\/operations\.md/,
    );
    await expectRefusal(
      restoreEmbedded({ file: archive, env: env(join(root, 'pg'), postgres) }),
      2,
      /pg_dump/,
    );
  });

  it('brings a backup of an older schema up to date on restore', async () => {
    const old = join(root, 'old-schema');
    const database = await openDatabase({ kind: 'pglite', dataDir: old });
    const names = Object.keys(migrations);
    const previous = names.at(-2)!;
    await migrate(database.db, previous);
    await database.close();
    const file = join(root, 'old.fanzha');
    expect((await backupEmbedded({ file, env: env(old) })).manifest.migration).toBe(previous);
    const r = await restoreEmbedded({ file, env: env(join(root, 'old-restored')) });
    expect(r).toMatchObject({ isOk: true, migrated: [names.at(-1)] });
    expect(r.facts.migration).toBe(names.at(-1));
  });
});
