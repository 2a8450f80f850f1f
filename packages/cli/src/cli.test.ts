import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The CLI as an operator uses it: a separate process on the server's database. Tampering is done the
 * way an intruder with database access would, with plain SQL.
 */
// Each command is a new process opening the database (PGlite takes seconds to start): allow for it.
vi.setConfig({ testTimeout: 180_000 });

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const adminUrl = process.env.FANZHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function fanzha(env: Record<string, string>, args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const isPgUp = await (async () => {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('PostgreSQL is required in CI');
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
})();

interface Target {
  env: Record<string, string>;
  sql(text: string): Promise<void>;
  rows<T>(text: string): Promise<T[]>;
  /** Only what an auditor holds: where the data is, read access, no secret key. */
  auditorEnv(): Promise<Record<string, string>>;
  /** Overwrites the header of the audit trail's first stored page, as a failing disk would. */
  damageAuditPage?(): Promise<void>;
}

function suite(kind: 'pglite' | 'postgres', make: () => Promise<Target & { cleanup(): Promise<void> }>) {
  describe.skipIf(kind === 'postgres' && !isPgUp)(`fanzha CLI [${kind}]`, () => {
    let t: Target & { cleanup(): Promise<void> };
    beforeAll(async () => {
      t = await make();
    });
    afterAll(() => t.cleanup());

    it('adds users (password from standard input), refusing bad input with its reasons', () => {
      const ok = fanzha(
        t.env,
        ['user', 'add', '--username', 'root', '--name', 'Root', '--role', 'admin'],
        'Long-enough-Passw0rd\n',
      );
      expect(ok.err).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.out).toContain('created root (admin)');
      const liaison = fanzha(
        t.env,
        [
          'user',
          'add',
          '--username',
          'icbc1',
          '--name',
          'ICBC desk',
          '--role',
          'bank_liaison',
          '--bank',
          'ICBC',
        ],
        'Long-enough-Passw0rd\n',
      );
      expect(liaison.code).toBe(0);
      const bad = fanzha(
        t.env,
        [
          'user',
          'add',
          '--username',
          'cop',
          '--name',
          'Cop',
          '--role',
          'county_police',
          '--county',
          '110101',
        ],
        'short\n',
      );
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('countyCode');
      expect(bad.err).toContain('password');
      const dup = fanzha(
        t.env,
        ['user', 'add', '--username', 'root', '--name', 'Again', '--role', 'admin'],
        'Long-enough-Passw0rd\n',
      );
      expect(dup.code).toBe(1);
      expect(dup.err).toContain('taken');
      expect(fanzha(t.env, ['user', 'add', '--username', 'x1', '--name', 'X', '--role', 'pope']).code).toBe(
        2,
      );
    });

    it('lists, disables, enables and resets a second factor', () => {
      const list = fanzha(t.env, ['user', 'list']);
      expect(list.out).toMatch(/icbc1\s+bank_liaison\s+ICBC\s+no-totp/);
      expect(fanzha(t.env, ['user', 'disable', 'icbc1']).out).toContain('icbc1: disabled');
      expect(fanzha(t.env, ['user', 'list']).out).toMatch(/icbc1.*disabled/);
      expect(fanzha(t.env, ['user', 'enable', 'icbc1']).code).toBe(0);
      expect(fanzha(t.env, ['user', 'reset-totp', 'icbc1']).out).toContain('second factor removed');
      const ghost = fanzha(t.env, ['user', 'disable', 'ghost']);
      expect(ghost.err).toContain('no user named ghost');
      expect(ghost.code).toBe(1);
    });

    it('verifies the audit trail and names the first broken entry after tampering', async () => {
      const intact = fanzha(t.env, ['audit', 'verify']);
      expect(intact.code).toBe(0);
      expect(intact.out).toMatch(/audit trail intact: [5-9] entries checked/);

      await t.sql(`alter table audit_entry disable trigger audit_entry_append_only;
        update audit_entry set details = '{"role":"supervisor"}' where seq = 3;
        alter table audit_entry enable trigger audit_entry_append_only;`);
      const edited = fanzha(t.env, ['audit', 'verify']);
      expect(edited.code).toBe(1);
      expect(edited.out).toContain('BROKEN at entry 3');
    });

    it('verifies with read access only, without the secret key', async () => {
      const r = fanzha(await t.auditorEnv(), ['audit', 'verify']);
      expect(r.err).toBe('');
      expect(r.out).toContain('BROKEN at entry 3');
      expect(r.code).toBe(1);
    });

    it('rotates the data keys of personal fields, re-encrypting what was written before', async () => {
      // A report as written before encryption: migration 0011 marks such values, the server or a rotation
      // encrypts them.
      await t.sql(`insert into report (id, number, version, status, created_by, call_answered_at, victim_name,
          created_at, updated_at)
        select '00000000-0000-4000-8000-000000000011', 'JJ-KEYS-1', 1, 'draft', id, now(), 'plain:测试',
          now(), now() from app_user where username = 'root'`);
      const before = fanzha(t.env, ['keys', 'status']);
      expect(before.err).toBe('');
      expect(before.out).toMatch(/^key 1\s+aes-256-gcm\s+current\s+0 values$/m);
      expect(before.out).toContain('1 values not yet encrypted');
      const rotated = fanzha(t.env, ['keys', 'rotate', '--batch', '50']);
      expect(rotated.err).toBe('');
      expect(rotated.code).toBe(0);
      expect(rotated.out).toContain('re-encrypted report.victim_name: 1');
      expect(rotated.out).toContain('rotated to key 2; retired key 1');
      const after = fanzha(t.env, ['keys', 'status']).out;
      expect(after).toMatch(/^key 1\s+aes-256-gcm\s+retired \S+\s+0 values$/m);
      expect(after).toMatch(/^key 2\s+aes-256-gcm\s+current\s+1 values$/m);
      expect(after).not.toContain('not yet encrypted');
      expect(fanzha(t.env, ['keys', 'rotate', '--batch', '0']).code).toBe(2);
    });

    it('audits a rotation with its key versions, never key material', async () => {
      const entries = await t.rows<{ object_id: string; details: Record<string, unknown>; seq: unknown }>(
        `select object_id, details, seq from audit_entry where action = 'data-key.rotate'`,
      );
      expect(entries).toHaveLength(1);
      const { object_id: objectId, details, seq } = entries[0]!;
      expect(objectId).toBe('2');
      // Sealed into the chain by the command itself, as the user commands' entries are.
      expect(seq).not.toBeNull();
      // Exactly these: version numbers, never anything of a key.
      const { origin, ...versions } = details;
      expect(versions).toEqual({ version: 2, retired: [1], isResumed: false, isComplete: true });
      expect(origin).toMatch(/^cli:/);
    });

    it.skipIf(kind === 'postgres')('reports a damaged page as a broken trail, with the place', async () => {
      await t.damageAuditPage!();
      const r = fanzha(t.env, ['audit', 'verify']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/BROKEN at entry 1: entry 1 cannot be read \(damaged storage\): invalid page/);
      expect(r.err).toBe('');
    });
  });
}

/**
 * Signed checkpoints as an outside auditor uses them: exported with read access, kept, and checked later
 * against the live trail — which an intruder with database access has rewritten so that its chain holds.
 */
function checkpointSuite(
  kind: 'pglite' | 'postgres',
  make: () => Promise<Target & { cleanup(): Promise<void> }>,
) {
  describe.skipIf(kind === 'postgres' && !isPgUp)(`fanzha audit checkpoints [${kind}]`, () => {
    let t: Target & { cleanup(): Promise<void> };
    let auditor: Record<string, string>;
    let dir: string;
    beforeAll(async () => {
      t = await make();
      dir = await mkdtemp(join(tmpdir(), 'fanzha-checkpoints-'));
    });
    afterAll(async () => {
      await t.cleanup();
      await rm(dir, { recursive: true, force: true });
    });
    const addUser = (username: string) =>
      fanzha(
        t.env,
        ['user', 'add', '--username', username, '--name', username, '--role', 'analyst'],
        'Long-enough-Passw0rd\n',
      );

    it('exports signed checkpoints that verify, and catch a forged one or a stranger’s key', async () => {
      // Each command is a process that opens the database: as few as the story needs.
      for (const u of ['ann', 'bob']) expect(addUser(u).code).toBe(0);
      auditor = await t.auditorEnv();
      const signed = fanzha(t.env, ['audit', 'checkpoint']);
      expect(signed.err).toBe('');
      expect(signed.out).toMatch(/signed checkpoint at entry [2-9] \(key [0-9a-f]{16}, ed25519\)/);

      const file = join(dir, 'checkpoints.jsonl');
      const exported = fanzha(auditor, ['audit', 'checkpoints', 'export', file]);
      expect(exported.err).toBe('');
      expect(exported.out).toContain('wrote 1 checkpoints and 1 public key(s)');

      const ok = fanzha(auditor, ['audit', 'verify', '--checkpoints', file]);
      expect(ok.err).toBe('');
      expect(ok.out).toContain('checkpoints hold: 1 signed checkpoints');
      expect(ok.code).toBe(0);

      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      const key = JSON.parse(lines[0]!) as { publicKeyPem: string };
      const pinned = join(dir, 'pinned.pem');
      await writeFile(pinned, key.publicKeyPem);
      expect(fanzha(auditor, ['audit', 'verify', '--checkpoints', file, '--public-key', pinned]).code).toBe(
        0,
      );

      const stranger = join(dir, 'stranger.pem');
      await writeFile(
        stranger,
        generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      const unknown = fanzha(auditor, ['audit', 'verify', '--checkpoints', file, '--public-key', stranger]);
      expect(unknown.code).toBe(1);
      expect(unknown.out).toContain('not among the trusted public keys');

      const checkpoint = JSON.parse(lines[1]!) as { seq: number };
      const forged = join(dir, 'forged.jsonl');
      await writeFile(
        forged,
        [
          lines[0],
          JSON.stringify({ ...checkpoint, seq: checkpoint.seq - 1, entryCount: checkpoint.seq - 1 }),
        ].join('\n'),
      );
      const caught = fanzha(auditor, ['audit', 'verify', '--checkpoints', forged]);
      expect(caught.code).toBe(1);
      expect(caught.out).toContain('signature does not verify');
      // An export cut down to its keys holds nothing to check: that is no proof the trail holds.
      const cut = join(dir, 'cut.jsonl');
      await writeFile(cut, `${lines[0]}\n`);
      const empty = fanzha(auditor, ['audit', 'verify', '--checkpoints', cut]);
      expect(empty.code).toBe(1);
      expect(empty.out).toContain('checkpoints FAIL: the file holds no signed checkpoint');
    });

    it('tells a rewritten trail whose chain still holds from the one that was signed', async () => {
      // The intruder cuts the trail back to its first entry, moves the head there, and lets it grow again.
      await t.sql(`alter table audit_entry disable trigger audit_entry_append_only;
        delete from audit_entry where seq > 1;
        update audit_head set seq = 1, hash = (select hash from audit_entry where seq = 1);
        alter table audit_entry enable trigger audit_entry_append_only;`);
      for (const u of ['dan', 'eve']) expect(addUser(u).code).toBe(0);
      const r = fanzha(auditor, ['audit', 'verify', '--checkpoints', join(dir, 'checkpoints.jsonl')]);
      expect(r.err).toBe('');
      expect(r.out).toContain('audit trail intact');
      expect(r.out).toMatch(
        /checkpoint at entry \d+: the trail at entry \d+ no longer matches the signed head/,
      );
      expect(r.code).toBe(1);
    });
  });
}

const pgliteTarget = async (): Promise<Target & { cleanup(): Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'fanzha-cli-'));
  return {
    env: { FANZHA_DATA_DIR: dir, DATABASE_URL: '' },
    async sql(text) {
      const db = await PGlite.create({ dataDir: dir });
      await db.exec(text);
      await db.close();
      // PGlite opened directly leaves its files open to all; fanzha would tighten them and say so.
      spawnSync('chmod', ['-R', 'go-rwx', dir]);
    },
    async rows<T>(text: string) {
      const db = await PGlite.create({ dataDir: dir });
      const rows = (await db.query<T>(text)).rows;
      await db.close();
      spawnSync('chmod', ['-R', 'go-rwx', dir]);
      return rows;
    },
    auditorEnv: async () => ({ FANZHA_DATA_DIR: dir, DATABASE_URL: '', FANZHA_SECRET_KEY: '' }),
    async damageAuditPage() {
      const db = await PGlite.create({ dataDir: dir });
      const file = (await db.query<{ path: string }>(`select pg_relation_filepath('audit_entry') as path`))
        .rows[0]!.path;
      await db.close();
      spawnSync('chmod', ['-R', 'go-rwx', dir]);
      const fd = openSync(join(dir, file), 'r+');
      writeSync(fd, Buffer.alloc(24, 0xab), 0, 24, 0);
      closeSync(fd);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

const postgresTarget = async (): Promise<Target & { cleanup(): Promise<void> }> => {
  const name = `fanzha_cli_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const auditor = `${name}_auditor`;
  const rows = async <T>(text: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return (await c.query(text)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const sql = async (text: string) => {
    await rows(text);
  };
  return {
    env: { DATABASE_URL: url.toString(), FANZHA_SECRET_KEY: 'cd'.repeat(32) },
    sql,
    rows,
    async auditorEnv() {
      // A role that may read the trail and nothing else: no writes, no schema changes.
      await sql(`create role ${auditor} login;
        grant select on audit_entry, audit_head, audit_checkpoint, audit_checkpoint_key to ${auditor}`);
      const asAuditor = new URL(url);
      asAuditor.username = auditor;
      return { DATABASE_URL: asAuditor.toString(), FANZHA_SECRET_KEY: '' };
    },
    async cleanup() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`drop role if exists ${auditor}`);
      await c.end();
    },
  };
};

suite('pglite', pgliteTarget);
suite('postgres', postgresTarget);
checkpointSuite('pglite', pgliteTarget);
checkpointSuite('postgres', postgresTarget);

describe('fanzha CLI and a running embedded server', () => {
  it('refuses to open a data folder that a live process holds: could not run, not a broken trail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fanzha-cli-held-'));
    try {
      await writeFile(join(dir, 'fanzha.pid'), `${process.pid}\n`);
      const r = fanzha({ FANZHA_DATA_DIR: dir, DATABASE_URL: '' }, ['user', 'list']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`process ${process.pid}`);
      // A broken trail exits 1: a script must not read "the server was running" as tampering.
      const verify = fanzha({ FANZHA_DATA_DIR: dir, DATABASE_URL: '' }, ['audit', 'verify']);
      expect(verify.code).toBe(2);
      expect(verify.err).toContain(`process ${process.pid}`);
      expect(verify.out).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Exit status 2: the command could not run, so nothing was checked (docs/operations.md, *Exit statuses*).
 * None of these reaches a database: each stops before opening one.
 */
describe('fanzha exit status 2, could not run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanzha-cli-status-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const at = (extra: Record<string, string> = {}) => ({
    FANZHA_DATA_DIR: dir,
    DATABASE_URL: '',
    FANZHA_SECRET_KEY: '',
    ...extra,
  });

  it('for a usage error: an option the command does not know', () => {
    const r = fanzha(at(), ['audit', 'verify', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--bogus'");
    expect(r.err).toContain('fanzha — command line');
  });

  it('for a configuration error, as the server’s start', () => {
    const list = fanzha(at({ FANZHA_PORT: 'eighty' }), ['user', 'list']);
    expect(list.code).toBe(2);
    expect(list.err).toContain('Invalid configuration');
    expect(list.err).toContain('FANZHA_PORT');
    const checkpoint = fanzha(at({ FANZHA_AUDIT_CHECKPOINT_MINUTES: '0' }), ['audit', 'checkpoint']);
    expect(checkpoint.code).toBe(2);
    expect(checkpoint.err).toContain('FANZHA_AUDIT_CHECKPOINT_MINUTES');
  });

  it('for a folder with no database, an input file not there, a database not reached', () => {
    const empty = fanzha(at(), ['audit', 'verify']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('no fanzha database in');
    const missing = fanzha(at(), ['audit', 'verify', '--checkpoints', join(dir, 'none.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--checkpoints: cannot read');
    // Port 1: nothing listens there.
    const unreached = fanzha({ DATABASE_URL: 'postgres://fanzha@127.0.0.1:1/fanzha' }, ['audit', 'verify']);
    expect(unreached.code).toBe(2);
    expect(unreached.err).toContain('ECONNREFUSED');
  });

  it('for a server not reached (its refusal is 1: e2e period-reports)', () => {
    const report = fanzha({ FANZHA_PASSWORD: 'x', FANZHA_USER: 'u' }, [
      'report',
      'daily',
      '--date',
      '2026-01-05',
      '--format',
      'pdf',
      '--out',
      join(dir, 'r.pdf'),
      '--code',
      '000000',
      '--target',
      'http://127.0.0.1:1',
    ]);
    expect(report.code).toBe(2);
    expect(report.err).toContain('could not reach http://127.0.0.1:1');
    const sim = fanzha({}, ['sim', '--target', 'http://127.0.0.1:1', '--duration', '2s']);
    expect(sim.code).toBe(2);
    expect(sim.err).toContain('could not start the simulation');
  });
});

describe('fanzha backup and restore', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fanzha-cli-backup-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const at = (dir: string) => ({ FANZHA_DATA_DIR: join(root, dir), DATABASE_URL: '', FANZHA_SECRET_KEY: '' });

  it('backs up, restores into a new folder with the checks, and refuses what it must', () => {
    const added = fanzha(
      at('live'),
      ['user', 'add', '--username', 'root', '--name', 'Root', '--role', 'admin'],
      'Long-enough-Passw0rd\n',
    );
    expect(added.code).toBe(0);
    writeFileSync(join(root, 'live', 'secret.key'), `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    const file = join(root, 'live.fanzha');

    const backup = fanzha(at('live'), ['backup', file]);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/backup written: .*live\.fanzha/);
    expect(backup.out).toMatch(/0 reports, 0 stop-payment requests, 1 audit entries/);
    expect(backup.out).toContain('the secret key is NOT in this file');

    const restored = fanzha(at('copy'), ['restore', file]);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toContain('audit trail intact: 1 entries checked');
    expect(restored.out).toMatch(/restored: .*0 reports, 0 stop-payment requests, 1 audit entries/);
    expect(restored.out).toContain('ACTION NEEDED');
    expect(existsSync(join(root, 'copy', 'PG_VERSION'))).toBe(true);
    // Run before the key is put back, a command that needs it refuses and makes none (a new key opens nothing).
    const unkeyed = fanzha(at('copy'), ['audit', 'checkpoint']);
    expect(unkeyed.code).toBe(2);
    expect(unkeyed.err).toMatch(/no secret key for this database.*Put back the secret key/s);
    expect(existsSync(join(root, 'copy', 'secret.key'))).toBe(false);

    const again = fanzha(at('copy'), ['restore', file]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/not empty.*--replace/);

    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x01;
    writeFileSync(join(root, 'tampered.fanzha'), bytes);
    const tampered = fanzha(at('other'), ['restore', join(root, 'tampered.fanzha')]);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/damaged.*SHA-256/);
    expect(existsSync(join(root, 'other'))).toBe(false);
  });

  it('refuses a held folder, PostgreSQL, and a missing FILE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fanzha-cli-held-'));
    try {
      await writeFile(join(dir, 'PG_VERSION'), '17\n');
      await writeFile(join(dir, 'fanzha.pid'), `${process.pid}\n`);
      const held = fanzha({ FANZHA_DATA_DIR: dir, DATABASE_URL: '' }, ['backup', join(root, 'held.fanzha')]);
      expect(held.code).toBe(2);
      expect(held.err).toContain(`process ${process.pid}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const postgres = fanzha({ DATABASE_URL: 'postgres://fanzha@db/fanzha' }, [
      'backup',
      join(root, 'pg.fanzha'),
    ]);
    expect(postgres.code).toBe(2);
    expect(postgres.err).toMatch(/pg_dump \/ pg_restore.*WAL archiving/);
    expect(fanzha(at('live'), ['restore']).code).toBe(2);
    expect(fanzha(at('live'), ['backup', 'a', 'b']).code).toBe(2);
  });
});
