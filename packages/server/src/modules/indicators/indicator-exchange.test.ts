import type {
  IndicatorDetail,
  IndicatorImportChunkResult,
  IndicatorImportView,
  IndicatorList,
} from '@fanzha/contracts';
import {
  checkIndicatorCsvRow,
  indicatorCsvRowOf,
  indicatorKey,
  isCsvRecordError,
  parseIndicatorCsvHeader,
  readCsv,
  type CsvRecord,
  type EventEnvelope,
  type IndicatorKind,
} from '@fanzha/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { listAudit, sealAudit } from '../audit/index';
import { startScreening, type RunningScreening, type ScreenItem } from '../screening/index';
import { exchangeRepository } from './indicator-exchange.repository';

const HEADER = ['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note'];

const FILE = [
  HEADER.join(','),
  'phone,138 0013 8000,high,2026-03-01,2026-03-05,"seen by Zunyi, twice"',
  'domain,https://pay.evil-shop.com.cn/x,medium,,,',
  'fax,12345,,,,', // line 4: unknown kind
  'app,com.evil.loan,,,,"a ""loan"" app"',
  'phone,12,,,,', // line 6: not a number
  'social,wechat:zhang_san88,low,,,"tab\there, back\\slash\nand a line"',
  'account,6222 0202 0000 1234 562,high,2026-02-01T08:00:00+08:00,,mule',
  'phone,+8613800138000,low,,,same number again', // line 10: a repeat, credited once
  'phone,13900139000,,2026-03-05,2026-03-01,', // line 11 (a note above spans two lines): first after last
].join('\n');

describeEachStorage('indicator exchange', (database) => {
  let h: Harness;
  let screening: RunningScreening;
  const bus = createMemoryBus();
  const c: Record<string, string> = {};

  const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  /** The chunks' `indicator.imported` events since outbox row `from`, and the values of the ids they name. */
  const importedSince = async (from: number) => {
    const events = (
      await committedEvents(database().db, { after: from, subjects: ['indicator.imported'] })
    ).map((r) => (r.event as EventEnvelope<'indicator.imported'>).data);
    const valuesOf = async (ids: number[]) =>
      ids.length === 0
        ? []
        : (
            await sql<{ value: string; risk_level: string }>`
              select value, risk_level from indicator where id = any(${ids}::bigint[])`.execute(database().db)
          ).rows;
    return {
      events,
      created: (await valuesOf(events.flatMap((e) => e.created))).map((r) => r.value),
      changed: (await valuesOf(events.flatMap((e) => e.changed))).map((r) => [r.value, r.risk_level]),
    };
  };
  /** Whether the worker's screening matcher holds an active indicator of this key now. */
  const matched = (kind: IndicatorKind, value: string) =>
    h.app.services.screening.matcher.candidates([
      { keys: [indicatorKey(kind, value)] } as unknown as ScreenItem,
    ]).size === 1;
  const lastOutboxId = async () =>
    Number(
      (await sql<{ n: number }>`select coalesce(max(id), 0) as n from outbox`.execute(database().db)).rows[0]!
        .n,
    );

  /** Loads a file as the CLI does: start with its header, its records in chunks, finish. */
  async function load(text: string, opts: { origin?: string; chunk?: number; cookie?: string } = {}) {
    const cookie = opts.cookie ?? c.analyst!;
    const records = readCsv(text);
    const [header, ...rest] = records as CsvRecord[];
    const started = await call(cookie, 'POST', '/api/indicators/imports', {
      fileName: 'zunyi-2026-03.csv',
      ...(opts.origin ? { origin: opts.origin } : {}),
      note: 'from the Zunyi centre',
      columns: header!.fields,
    });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json<IndicatorImportView>().id;
    const size = opts.chunk ?? 3;
    const results: IndicatorImportChunkResult[] = [];
    const good = rest.filter((r) => !isCsvRecordError(r));
    for (let i = 0; i < good.length; i += size) {
      const res = await call(cookie, 'POST', `/api/indicators/imports/${id}/chunks`, {
        records: good.slice(i, i + size),
      });
      expect(res.statusCode, res.body).toBe(200);
      results.push(res.json());
    }
    const finished = await call(cookie, 'POST', `/api/indicators/imports/${id}/finish`, {
      unreadable: rest.length - good.length,
    });
    expect(finished.statusCode, finished.body).toBe(200);
    return { id, results, summary: finished.json<IndicatorImportView>() };
  }

  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T02:00:00Z', bus });
    // A worker's screening: its matcher built from the registry and kept current by the events it hears.
    screening = await startScreening({
      screening: h.app.services.screening,
      db: database().db,
      bus,
      clock: h.clock,
      log: h.app.log,
    });
    const users = [
      ['analyst', 'analyst', {}],
      ['analyst2', 'analyst', {}],
      ['super', 'supervisor', {}],
      ['taker', 'call_taker', {}],
      ['root', 'admin', {}],
    ] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(async () => {
    await screening.stop();
    await h.close();
    await bus.close();
  });

  it('loads the good rows, reports each bad one by line with its reason, and tells screening', async () => {
    const from = await lastOutboxId();
    const { id, results, summary } = await load(FILE);
    const rejected = results.flatMap((r) => r.rejected);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'csv.kind'],
      [6, expect.stringMatching(/^phone\./)],
      [11, 'csv.time_order'],
    ]);
    expect(summary).toMatchObject({
      id,
      origin: 'zunyi-2026-03.csv',
      rowsRead: 9,
      rowsRejected: 3,
      indicatorsCreated: 5,
      sourcesAdded: 5,
    });
    expect(summary.finishedAt).not.toBeNull();

    const phone = await call(c.analyst!, 'GET', '/api/indicators/lookup?kind=phone&value=13800138000');
    expect(phone.json<IndicatorDetail>().indicator).toMatchObject({
      value: '+8613800138000',
      status: 'active',
      riskLevel: 'high',
      firstSeenAt: '2026-02-28T16:00:00.000Z',
      lastSeenAt: '2026-03-04T16:00:00.000Z',
    });
    // Each chunk that created indicators is one `indicator.imported` naming them, sealed in the outbox as
    // every other event is; the worker's matcher reads them and matches them from then on.
    const { events, created } = await importedSince(from);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.importId === id)).toBe(true);
    expect(created.sort()).toEqual(
      [
        '+8613800138000',
        'com.evil.loan',
        'evil-shop.com.cn',
        'wechat:zhang_san88',
        '6222020200001234562',
      ].sort(),
    );
    await expect.poll(() => matched('account', '6222020200001234562')).toBe(true);
    expect(matched('phone', '+8613800138000')).toBe(true);
    expect(matched('phone', '+8613900139000')).toBe(false);
    const raw = await sql<{ envelope: unknown }>`
      select envelope from outbox where id > ${from} and subject = 'indicator.imported'`.execute(
      database().db,
    );
    for (const r of raw.rows) expect(JSON.stringify(r.envelope)).not.toContain('8613800138000');
    const tally = await sql<{ n: number }>`
      select n from indicator_tally where status = 'active'`.execute(database().db);
    expect(Number(tally.rows[0]!.n)).toBe(5);

    await sealAudit(database().db);
    const audit = await listAudit(database().db, { limit: 50 });
    expect(
      audit
        .filter((e) => e.objectId === id)
        .map((e) => e.action)
        .sort(),
    ).toEqual(['indicator.import', 'indicator.import.finish']);
  });

  it('adds nothing when the same file is loaded again; another origin is credited, nothing created', async () => {
    const from = await lastOutboxId();
    const again = await load(FILE, { chunk: 100 });
    expect(again.summary).toMatchObject({
      rowsRead: 9,
      rowsRejected: 3,
      indicatorsCreated: 0,
      sourcesAdded: 0,
    });
    expect((await importedSince(from)).events).toEqual([]);
    const other = await load(FILE, { origin: 'Guiyang centre' });
    expect(other.summary).toMatchObject({ indicatorsCreated: 0, sourcesAdded: 5 });
    const total = await sql<{ n: number }>`select count(*)::int as n from indicator`.execute(database().db);
    expect(total.rows[0]!.n).toBe(5);
  });

  it('raises a known indicator’s risk and widens when it was seen, with an event', async () => {
    const from = await lastOutboxId();
    const { summary } = await load(
      [
        HEADER.join(','),
        'domain,evil-shop.com.cn,high,2025-12-01,2026-04-01,',
        'app,com.evil.loan,low,,,',
      ].join('\n'),
      { origin: 'Anshun centre' },
    );
    expect(summary).toMatchObject({ indicatorsCreated: 0, sourcesAdded: 2 });
    const { events, created, changed } = await importedSince(from);
    expect(events).toHaveLength(1);
    expect(created).toEqual([]);
    expect(changed).toEqual([['evil-shop.com.cn', 'high']]);
    const d = await call(c.analyst!, 'GET', '/api/indicators/lookup?kind=domain&value=evil-shop.com.cn');
    expect(d.json<IndicatorDetail>().indicator).toMatchObject({
      riskLevel: 'high',
      firstSeenAt: '2025-11-30T16:00:00.000Z',
    });
  });

  it('lists the registry by risk level, page by page and within a search, and refuses an unknown level', async () => {
    const values = async (url: string) => {
      const res = await call(c.analyst!, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json<IndicatorList>();
      return {
        list,
        values: list.indicators.map((i) => i.value),
        levels: list.indicators.map((i) => i.riskLevel),
      };
    };
    const p1 = await values('/api/indicators?level=high&limit=2');
    expect(p1.levels).toEqual(['high', 'high']);
    expect(p1.list.nextCursor).not.toBeNull();
    const p2 = await values(`/api/indicators?level=high&limit=2&after=${p1.list.nextCursor}`);
    expect(p2.list.nextCursor).toBeNull();
    expect([...p1.values, ...p2.values].sort()).toEqual(
      ['+8613800138000', '6222020200001234562', 'evil-shop.com.cn'].sort(),
    );
    expect((await values('/api/indicators?level=low')).values.sort()).toEqual(
      ['com.evil.loan', 'wechat:zhang_san88'].sort(),
    );
    expect((await values('/api/indicators?level=medium')).values).toEqual([]);
    expect((await values('/api/indicators?kind=phone&q=%2B86138&level=high')).values).toEqual([
      '+8613800138000',
    ]);
    expect((await values('/api/indicators?kind=app&q=com.evil&level=high')).values).toEqual([]);
    expect((await values('/api/indicators?status=active&level=low&kind=social')).values).toEqual([
      'wechat:zhang_san88',
    ]);
    const bad = await call(c.analyst!, 'GET', '/api/indicators?level=severe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: [{ field: 'query.level' }] } });
  });

  it('exports every indicator as CSV that imports back to the same registry, statuses marked', async () => {
    await sql`update indicator set status = 'shared' where value = 'evil-shop.com.cn'`.execute(database().db);
    const res = await call(c.super!, 'GET', '/api/indicators/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = readCsv(res.body) as CsvRecord[];
    const h2 = parseIndicatorCsvHeader(header!.fields);
    if (!h2.ok) throw new Error(h2.message);
    const exported = rows.map((r) => {
      const row = indicatorCsvRowOf(h2.value, r.fields);
      if (!row.ok) throw new Error(row.message);
      const checked = checkIndicatorCsvRow(row.value, h.clock.now());
      if (!checked.ok) throw new Error(checked.message);
      return { ...checked.value, status: row.value.status };
    });
    const list = await call(c.analyst!, 'GET', '/api/indicators?limit=200');
    const registry = list.json<IndicatorList>().indicators;
    expect(
      exported.map((e) => [e.kind, e.value, e.risk, e.firstSeen?.toISOString(), e.status]).sort(),
    ).toEqual(registry.map((i) => [i.kind, i.value, i.riskLevel, i.firstSeenAt, i.status]).sort());
    expect(exported.find((e) => e.value === '+8613800138000')!.note).toContain('zunyi-2026-03.csv');
    // What COPY's text format escapes (tab, backslash, line break) comes back as it was written.
    expect(exported.find((e) => e.value === 'wechat:zhang_san88')!.note).toContain(
      'zunyi-2026-03.csv: tab\there, back\\slash\nand a line',
    );

    // Loaded into the same registry again under its own origin: nothing new.
    const back = await load(res.body, { origin: 'round trip', chunk: 2 });
    expect(back.summary).toMatchObject({ rowsRejected: 0, indicatorsCreated: 0, rowsRead: registry.length });
  });

  it('exports a STIX 2.1 bundle of indicator objects with a pattern per kind', async () => {
    const res = await call(c.analyst!, 'GET', '/api/indicators/export?format=stix');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/stix+json');
    const bundle = res.json<{ type: string; id: string; objects: Array<Record<string, unknown>> }>();
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(
      /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bundle.objects).toHaveLength(5);
    for (const o of bundle.objects) {
      expect(o).toMatchObject({ type: 'indicator', spec_version: '2.1', pattern_type: 'stix' });
      expect(o.id).toMatch(
        /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      for (const k of ['created', 'modified', 'valid_from'])
        expect(o[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(o.labels).toEqual(expect.arrayContaining([`status:${String(o.x_fanzha_status)}`]));
    }
    const patterns = Object.fromEntries(
      bundle.objects.map((o) => [String(o.x_fanzha_value), String(o.pattern)]),
    );
    expect(patterns).toEqual({
      '+8613800138000': "[x-fanzha-phone-number:value = '+8613800138000']",
      'evil-shop.com.cn': "[domain-name:value = 'evil-shop.com.cn']",
      'com.evil.loan': "[software:name = 'com.evil.loan']",
      'wechat:zhang_san88':
        "[user-account:account_type = 'wechat' AND user-account:account_login = 'zhang_san88']",
      '6222020200001234562': "[x-fanzha-bank-account:account_number = '6222020200001234562']",
    });
    const shared = bundle.objects.find((o) => o.x_fanzha_value === 'evil-shop.com.cn')!;
    expect(shared.labels).toContain('status:shared');
    // The same indicator keeps its id from one export to the next.
    const again = (await call(c.analyst!, 'GET', '/api/indicators/export?format=stix')).json<typeof bundle>();
    expect(again.objects.map((o) => o.id)).toEqual(bundle.objects.map((o) => o.id));
    expect(again.id).not.toBe(bundle.id);
  });

  it('lets only analysts and supervisors exchange, each only their own import, and refuses bad input', async () => {
    for (const who of ['taker', 'root']) {
      expect((await call(c[who]!, 'GET', '/api/indicators/export?format=csv')).statusCode).toBe(403);
      const res = await call(c[who]!, 'POST', '/api/indicators/imports', {
        fileName: 'x.csv',
        columns: HEADER,
      });
      expect(res.statusCode).toBe(403);
    }
    const badHeader = await call(c.analyst!, 'POST', '/api/indicators/imports', {
      fileName: 'x.csv',
      columns: ['kind', 'value', 'colour'],
    });
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json()).toMatchObject({
      error: { details: [{ field: 'body.columns', reason: 'csv.header' }] },
    });
    // A blank name or origin is refused, not credited as an origin of spaces nor replaced by the file's name.
    const blank = await call(c.analyst!, 'POST', '/api/indicators/imports', {
      fileName: '   ',
      origin: ' ',
      columns: HEADER,
    });
    expect(blank.statusCode, blank.body).toBe(400);
    const problems = blank.json<{ error: { details: Array<{ field: string; reason: string }> } }>().error
      .details;
    expect(problems.map((d) => [d.field, d.reason])).toEqual([
      ['body.fileName', 'too_small'],
      ['body.origin', 'too_small'],
    ]);
    const started = await call(c.analyst!, 'POST', '/api/indicators/imports', {
      fileName: 'x.csv',
      columns: HEADER,
    });
    const id = started.json<IndicatorImportView>().id;
    const chunk = { records: [{ line: 2, fields: ['phone', '13700137000', '', '', '', ''] }] };
    expect((await call(c.analyst2!, 'POST', `/api/indicators/imports/${id}/chunks`, chunk)).statusCode).toBe(
      404,
    );
    expect((await call(c.analyst2!, 'GET', `/api/indicators/imports/${id}`)).statusCode).toBe(404);
    const tooMany = {
      records: Array.from({ length: 5_001 }, (_, i) => ({ ...chunk.records[0]!, line: i + 2 })),
    };
    expect((await call(c.analyst!, 'POST', `/api/indicators/imports/${id}/chunks`, tooMany)).statusCode).toBe(
      400,
    );
    expect((await call(c.analyst!, 'GET', '/api/indicators/export?format=xml')).statusCode).toBe(400);
    await call(c.analyst!, 'POST', `/api/indicators/imports/${id}/finish`, {});
    const late = await call(c.analyst!, 'POST', `/api/indicators/imports/${id}/chunks`, chunk);
    expect(late.statusCode).toBe(409);
    const none = await call(c.analyst!, 'GET', '/api/indicators/lookup?kind=phone&value=13700137000');
    expect(none.statusCode).toBe(404);
  });

  it('keeps a fraudster’s device by its IMEI, found however it is typed, with its STIX pattern', async () => {
    const file = [HEADER.join(','), 'device,49-015420-323751-8,high,,,', 'device,490154203237519,,,,'];
    const { results } = await load(file.join('\n'), { origin: 'devices.csv' });
    expect(results.flatMap((r) => r.rejected).map((r) => [r.line, r.reason])).toEqual([[3, 'device.luhn']]);
    const found = await call(c.analyst!, 'GET', '/api/indicators/lookup?kind=device&value=49015420323751');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json<IndicatorDetail>().indicator).toMatchObject({
      kind: 'device',
      value: '490154203237518',
      riskLevel: 'high',
    });
    const bundle = (await call(c.analyst!, 'GET', '/api/indicators/export?format=stix')).json<{
      objects: Array<Record<string, unknown>>;
    }>();
    expect(bundle.objects.find((o) => o.x_fanzha_value === '490154203237518')?.pattern).toBe(
      "[x-fanzha-device:imei = '490154203237518']",
    );
  });

  it('refuses by line a time the database cannot store, and loads the rest of the chunk', async () => {
    const file = [
      HEADER.join(','),
      'phone,13700137001,,0001-01-01,,', // the year 0 in UTC
      'phone,13700137002,,,9999-12-31T23:00:00-08:00,', // the year 10000 in UTC
      'phone,13700137003,,2026-03-01,,',
    ];
    const { results, summary } = await load(file.join('\n'), { origin: 'times.csv', chunk: 10 });
    expect(results.flatMap((r) => r.rejected).map((r) => [r.line, r.reason])).toEqual([
      [2, 'csv.time'],
      [3, 'csv.time'],
    ]);
    expect(summary).toMatchObject({ rowsRead: 3, rowsRejected: 2, indicatorsCreated: 1 });
    const kept = await call(c.analyst!, 'GET', '/api/indicators/lookup?kind=phone&value=13700137003');
    expect(kept.statusCode, kept.body).toBe(200);
  });

  it('merges two overlapping chunks sent at once into the registry they make one after the other', async () => {
    // Domains 0–149 known (low, March) before; one origin sends 0–199, another 100–299, with other risks
    // and dates: the known ones raised by both, the new ones in both created once and credited to both.
    const rows = (tag: string, from: number, to: number, risk: string, first: string, last: string) =>
      Array.from({ length: to - from }, (_, k) => ({
        line: k + 2,
        fields: ['domain', `n${from + k}-${tag}-race.cn`, risk, first, last, ''],
      }));
    const start = async (origin: string) => {
      const res = await call(c.analyst!, 'POST', '/api/indicators/imports', {
        fileName: 'race.csv',
        origin,
        note: '',
        columns: HEADER,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<IndicatorImportView>().id;
    };
    const send = async (id: string, records: ReturnType<typeof rows>) => {
      const res = await call(c.analyst!, 'POST', `/api/indicators/imports/${id}/chunks`, { records });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<IndicatorImportChunkResult>();
    };
    const registry = async (tag: string) =>
      (
        await sql<{ value: string; risk_level: string; first: string; last: string; origins: number }>`
          select replace(i.value, ${`-${tag}-`}, '-') as value, i.risk_level,
            i.first_seen_at::text as first, i.last_seen_at::text as last,
            (select count(*)::int from indicator_import_source s where s.indicator_id = i.id) as origins
          from indicator i where i.value like ${`%-${tag}-race.cn`} order by 1`.execute(database().db)
      ).rows;
    const totals = (results: IndicatorImportChunkResult[]) =>
      results.reduce((t, r) => [t[0]! + r.indicatorsCreated, t[1]! + r.sourcesAdded], [0, 0]);

    const outcome = async (tag: string, atOnce: boolean) => {
      await send(await start(`Known ${tag}`), rows(tag, 0, 150, 'low', '2026-03-10', '2026-03-20'));
      const [one, two] = [await start(`North ${tag}`), await start(`South ${tag}`)];
      const a = rows(tag, 0, 200, 'medium', '2026-03-01', '2026-03-15');
      const b = rows(tag, 100, 300, 'high', '2026-03-12', '2026-04-01');
      const results = atOnce
        ? await Promise.all([send(one, a), send(two, b)])
        : [await send(one, a), await send(two, b)];
      return { registry: await registry(tag), totals: totals(results) };
    };
    const inTurn = await outcome('turn', false);
    const atOnce = await outcome('once', true);
    expect(inTurn.totals).toEqual([150, 400]);
    expect(atOnce).toEqual(inTurn);
    expect(inTurn.registry).toHaveLength(300);
    expect(inTurn.registry.find((r) => r.value === 'n120-race.cn')).toMatchObject({
      risk_level: 'high',
      origins: 3,
    });
  });

  it('merges a chunk by hash or merge joins, never a nested loop over its rows', async () => {
    // The planner cannot know a chunk's size (a prepared statement's generic plan guesses a hundred rows; here,
    // three); a nested loop joining the created ids back to their rows would compare every row with every
    // other (25 million comparisons for 5,000). Plans only: nothing runs.
    const rows = Array.from({ length: 3 }, (_, k) => ({
      line: k + 2,
      kind: 'domain' as const,
      value: `plan-${k}.cn`,
      risk: null,
      firstSeen: null,
      lastSeen: null,
      note: '',
    }));
    const m = { importId: crypto.randomUUID(), origin: 'plan', now: new Date() };
    const plan = await database()
      .db.transaction()
      .execute((trx) => exchangeRepository.mergeNewPlan(trx, { ...m, rows }));
    expect(plan).toMatch(/(Hash|Merge) Join/);
    expect(plan).toMatch(/(Hash|Merge) Anti Join/);
    expect(plan).not.toContain('Nested Loop');
  });
});
