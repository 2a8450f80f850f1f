import { describe, expect, it } from 'vitest';
import { indicator, listReader } from '../../../testing/indicator-list';
import { Matcher } from './screening.matcher';
import { excerptOf, parseBatch } from './screening.parse';

const at = '2026-05-01T08:00:00Z';
/** Read as the server reads a batch it receives at `at`. */
const parse = (raw: unknown) => parseBatch(raw, new Date(at));
const call = (id: string, from: string, extra: object = {}) => ({
  id,
  at,
  subscriber: '+8613800138000',
  countyCode: '520102',
  from,
  durationS: 30,
  isInternational: false,
  ...extra,
});
const transfer = (id: string, account: string) => ({
  id,
  at,
  payer: { phone: '+8613900139000', idNumber: null, name: '张三' },
  payee: { account, name: '李四' },
  amountFen: 5_000_000,
  channel: 'mobile_banking',
  countyCode: null,
});

describe('parseBatch', () => {
  it('reads a good batch into items with their indicator keys and the source', () => {
    const batch = parse(
      JSON.stringify({
        kind: 'call',
        operator: 'china_mobile',
        sentAt: at,
        signals: [call('c1', '170 1234 5678')],
      }),
    );
    expect(batch.source).toBe('operator:china_mobile');
    expect(batch.items).toEqual([
      expect.objectContaining({ signalId: 'c1', signalKind: 'call', keys: ['phone:+8617012345678'] }),
    ]);
    expect(batch.dead).toEqual([]);
  });

  it('dead-letters a poison signal alone and keeps the good ones beside it', () => {
    const batch = parse({
      kind: 'bank',
      bank: 'ICBC',
      sentAt: at,
      signals: [
        transfer('t1', '3100 1234 5678 90'),
        { ...transfer('t2', '31001234567890'), amountFen: -5 },
        { ...transfer('t3', '31001234567890'), extra: 1 },
        { ...transfer('t4', '31001234567890'), payer: { phone: null, idNumber: null, name: null } },
        'not even an object',
        transfer('t5', '44050146090000000001'),
      ],
    });
    expect(batch.items.map((i) => i.signalId)).toEqual(['t1', 't5']);
    expect(batch.items[0]!.keys).toEqual(['account:31001234567890']);
    expect(batch.results.map((r) => r.status)).toEqual([
      'accepted',
      'refused',
      'refused',
      'refused',
      'refused',
      'accepted',
    ]);
    expect(batch.dead.map((d) => [d.signalId, d.problems[0]!.field, d.problems[0]!.reason])).toEqual([
      ['t2', 'signals.1.amountFen', 'too_small'],
      ['t3', 'signals.2.extra', 'unrecognized_keys'],
      ['t4', 'signals.3.payer.phone', 'custom'],
      [null, 'signals.4', 'invalid_type'],
    ]);
  });

  it('dead-letters a whole batch that is not JSON, or whose envelope is wrong, with a bounded excerpt', () => {
    const notJson = parse('{"kind": "call", ' + 'x'.repeat(5000));
    expect(notJson.kind).toBeNull();
    expect(notJson.dead).toEqual([
      expect.objectContaining({
        signalId: null,
        problems: [expect.objectContaining({ reason: 'invalid_json' })],
      }),
    ]);
    expect(notJson.dead[0]!.excerpt).toHaveLength(1000);
    const badEnvelope = parse({
      kind: 'call',
      operator: 'nobody',
      sentAt: at,
      signals: [call('c1', '1')],
    });
    expect(badEnvelope.items).toEqual([]);
    expect(badEnvelope.dead[0]!.problems).toEqual([expect.objectContaining({ field: 'batch.operator' })]);
    const unknownKind = parse({ kind: 'fax', signals: [] });
    expect(unknownKind.dead[0]!.kind).toBe('fax');
  });

  it('refuses text a database cannot store (NUL, a lone surrogate) as a dead letter whose excerpt is clean', () => {
    const batch = parse({
      kind: 'call',
      operator: 'china_mobile',
      sentAt: at,
      signals: [call('c\u0000', '1'), call('c2', '\uD800x')],
    });
    expect(batch.items).toEqual([]);
    expect(batch.dead.map((d) => d.problems[0]!.reason)).toEqual([
      'invalid_characters',
      'invalid_characters',
    ]);
    for (const d of batch.dead) expect(d.excerpt).not.toMatch(/\u0000|\uD800/); // eslint-disable-line no-control-regex
    expect(excerptOf('a\u0000b')).toBe('a?b');
  });

  it("refuses an unknown field in an operator's signal too", () => {
    const batch = parse({
      kind: 'call',
      operator: 'china_mobile',
      sentAt: at,
      signals: [{ ...call('c1', '10086'), note: 'x' }],
    });
    expect(batch.dead.map((d) => d.problems[0])).toEqual([
      expect.objectContaining({ field: 'signals.0.note', reason: 'unrecognized_keys' }),
    ]);
  });

  it('screens one signal sent twice in a batch once', () => {
    const batch = parse({
      kind: 'call',
      operator: 'china_mobile',
      sentAt: at,
      signals: [call('c1', '10086'), call('c1', '10086')],
    });
    expect(batch.items).toHaveLength(1);
    expect(batch.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});

describe('Matcher', () => {
  const calls = (n: number, from: (i: number) => string) =>
    parse({
      kind: 'call',
      operator: 'china_mobile',
      sentAt: at,
      signals: Array.from({ length: n }, (_, i) => call(`c${i}`, from(i))),
    }).items;

  it('builds from pages of active indicators and confirms a candidate against its current snapshot', async () => {
    const reader = listReader([
      indicator(1, 'phone', '+8617012345678'),
      indicator(2, 'phone', '+8617000000002', 'suspended'),
      indicator(3, 'account', '31001234567890'),
      ...Array.from({ length: 25 }, (_, i) => indicator(10 + i, 'domain', `site${i}.cn`)),
    ]);
    const m = new Matcher();
    await m.load(reader, 7);
    expect(m.size).toBe(27);
    const items = calls(3, (i) => ['17012345678', '17000000002', '13312345678'][i]!);
    const hits = await m.screen(items, 'operator:china_mobile', reader);
    expect(hits).toEqual([
      expect.objectContaining({
        signalId: 'c0',
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- an asymmetric matcher
        indicator: expect.objectContaining({ id: 1 }),
        source: 'operator:china_mobile',
      }),
    ]);
    // Only the candidate reached the reader.
    expect(reader.calls).toEqual([[1]]);
  });

  it('touches no database for a batch with no candidate', async () => {
    const reader = listReader([indicator(1, 'phone', '+8617012345678')]);
    const m = new Matcher();
    await m.load(reader);
    expect(
      await m.screen(
        calls(100, (i) => `1331234${String(i).padStart(4, '0')}`),
        's',
        reader,
      ),
    ).toEqual([]);
    expect(reader.calls).toEqual([]);
  });

  it('follows changes: a new active indicator is matched, one no longer active is not', async () => {
    const reader = listReader([indicator(1, 'phone', '+8617012345678')]);
    const m = new Matcher();
    await m.load(reader);
    const snapshot = indicator(2, 'phone', '+8613312345678');
    reader.set(snapshot);
    m.apply(snapshot);
    expect(
      (
        await m.screen(
          calls(1, () => '13312345678'),
          's',
          reader,
        )
      ).map((h) => h.indicator?.id),
    ).toEqual([2]);
    const suspended = indicator(1, 'phone', '+8617012345678', 'suspended');
    reader.set(suspended);
    m.apply(suspended);
    expect(
      await m.screen(
        calls(1, () => '17012345678'),
        's',
        reader,
      ),
    ).toEqual([]);
    expect(m.size).toBe(1);
  });

  it('does not warn on a stale entry: the snapshot decides', async () => {
    const reader = listReader([indicator(1, 'phone', '+8617012345678')]);
    const m = new Matcher();
    await m.load(reader);
    // Suspended in the registry, the change not heard yet.
    reader.set(indicator(1, 'phone', '+8617012345678', 'not_fraud'));
    expect(
      await m.screen(
        calls(1, () => '17012345678'),
        's',
        reader,
      ),
    ).toEqual([]);
    expect(reader.calls).toEqual([[1]]);
  });

  it('re-reads a change heard during the load, so an older page does not undo it', async () => {
    const list = [indicator(1, 'phone', '+8617012345678')];
    const reader = listReader(list);
    const m = new Matcher();
    const slow: typeof reader = {
      ...reader,
      async loadPage(afterId, limit) {
        const page = await reader.loadPage(afterId, limit);
        // While the page is in flight the indicator is suspended, and the change is heard.
        const changed = indicator(1, 'phone', '+8617012345678', 'suspended');
        reader.set(changed);
        m.apply(changed);
        return page;
      },
    };
    await m.load(slow);
    expect(m.size).toBe(0);
  });

  it('makes an upstream warning a hit without an indicator', async () => {
    const items = parse({
      kind: 'upstream',
      centre: 'national',
      sentAt: at,
      signals: [
        {
          id: 'u1',
          at,
          level: 'high',
          person: { phone: '+8613800138000', idNumber: null, name: null },
          countyCode: null,
          reason: '国家反诈中心预警',
        },
      ],
    }).items;
    const hits = await new Matcher().screen(items, 'upstream:national', listReader([]));
    expect(hits).toEqual([
      expect.objectContaining({ signalKind: 'upstream_warning', indicator: null, upstreamGrade: 'high' }),
    ]);
  });

  it('hits a bank transfer to a known mule account with its amount', async () => {
    const reader = listReader([indicator(3, 'account', '31001234567890')]);
    const m = new Matcher();
    await m.load(reader);
    const items = parse({
      kind: 'bank',
      bank: 'ICBC',
      sentAt: at,
      signals: [transfer('t1', '3100-1234-5678-90')],
    }).items;
    expect(await m.screen(items, 'bank:ICBC', reader)).toEqual([
      expect.objectContaining({
        signalKind: 'bank_transfer',
        amountFen: 5_000_000,
        person: { phone: '+8613900139000', idNumber: null, name: '张三', countyCode: null },
      }),
    ]);
  });
});
