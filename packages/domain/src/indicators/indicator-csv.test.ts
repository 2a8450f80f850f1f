import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkIndicatorCsvRow,
  createCsvReader,
  csvLine,
  indicatorCsvHeaderLine,
  indicatorCsvLine,
  indicatorCsvRowOf,
  isCsvRecordError,
  parseIndicatorCsvHeader,
  parseIndicatorCsvTime,
  readCsv,
  type CsvRecord,
} from './indicator-csv';

const records = (text: string) => readCsv(text).filter((r): r is CsvRecord => !isCsvRecordError(r));

describe('the CSV reader', () => {
  it('splits records, quoted fields with commas, doubled quotes and line breaks, by their first line', () => {
    const text =
      'kind,value,risk,first_seen,last_seen,note\r\n' +
      'phone,13800138000,high,,,"call centre, Guiyang"\n' +
      '\n' +
      'domain,evil.cn,,,,"said ""bank""\nover two lines"\n' +
      'app,com.x.y,low,,,plain';
    expect(readCsv(text)).toEqual([
      { line: 1, fields: ['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note'] },
      { line: 2, fields: ['phone', '13800138000', 'high', '', '', 'call centre, Guiyang'] },
      { line: 4, fields: ['domain', 'evil.cn', '', '', '', 'said "bank"\nover two lines'] },
      { line: 6, fields: ['app', 'com.x.y', 'low', '', '', 'plain'] },
    ]);
  });

  it('reports a stray quote by its line and carries on with the next line', () => {
    const out = readCsv('a,b\nph"one,1\nx,"y"z\nok,2\n"open,3');
    expect(out).toEqual([
      { line: 1, fields: ['a', 'b'] },
      expect.objectContaining({ line: 2, reason: 'csv.quote' }),
      expect.objectContaining({ line: 3, reason: 'csv.quote' }),
      { line: 4, fields: ['ok', '2'] },
      expect.objectContaining({ line: 5, reason: 'csv.quote' }),
    ]);
  });

  it('gives the same records whatever the chunks (a \\r\\n split between two chunks too)', () => {
    const text = 'a,"b\r\nc"\r\nd,e\r\n"f""",g\r\n';
    const whole = readCsv(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const reader = createCsvReader();
      expect([...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut)), ...reader.end()]).toEqual(
        whole,
      );
    }
  });
});

describe('the header and rows', () => {
  it('takes the columns in any order, with status optional; refuses unknown, repeated or missing ones', () => {
    const h = parseIndicatorCsvHeader(['\uFEFFValue', 'kind', 'note', 'risk', 'last_seen', 'first_seen']);
    expect(h).toEqual({
      ok: true,
      value: { value: 0, kind: 1, note: 2, risk: 3, last_seen: 4, first_seen: 5 },
    });
    expect(
      parseIndicatorCsvHeader(['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note', 'x']),
    ).toMatchObject({ ok: false, reason: 'csv.header' });
    expect(parseIndicatorCsvHeader(['kind', 'value', 'value'])).toMatchObject({ ok: false });
    expect(parseIndicatorCsvHeader(['kind', 'value'])).toMatchObject({ ok: false, reason: 'csv.header' });
  });

  it('checks and normalises a row, naming the problem of a bad one', () => {
    const h = parseIndicatorCsvHeader(['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note']);
    if (!h.ok) throw new Error('header');
    const row = (...f: string[]) => {
      const r = indicatorCsvRowOf(h.value, f);
      return r.ok ? checkIndicatorCsvRow(r.value, new Date('2026-06-01T00:00:00Z')) : r;
    };
    expect(row('phone', '138 0013 8000', 'HIGH', '2026-03-01', '2026-03-02T10:00:00+08:00', 'n')).toEqual({
      ok: true,
      value: {
        kind: 'phone',
        value: '+8613800138000',
        risk: 'high',
        firstSeen: new Date('2026-02-28T16:00:00Z'),
        lastSeen: new Date('2026-03-02T02:00:00Z'),
        note: 'n',
      },
    });
    expect(row('phone', '1', '', '', '', '')).toMatchObject({ ok: false });
    expect(row('fax', '1', '', '', '', '')).toMatchObject({ ok: false, reason: 'csv.kind' });
    expect(row('phone', '13800138000', 'extreme', '', '', '')).toMatchObject({ reason: 'csv.risk' });
    expect(row('phone', '13800138000', '', '2026-02-30', '', '')).toMatchObject({ reason: 'csv.time' });
    expect(row('phone', '13800138000', '', 'yesterday', '', '')).toMatchObject({ reason: 'csv.time' });
    expect(row('phone', '13800138000', '', '2026-03-02', '2026-03-01', '')).toMatchObject({
      reason: 'csv.time_order',
    });
    expect(row('phone', '13800138000', '', '', '', 'x'.repeat(501))).toMatchObject({ reason: 'csv.note' });
    expect(row('phone', '13800138000')).toMatchObject({ reason: 'csv.columns' });
    expect(row('domain', '   ', '', '', '', '')).toMatchObject({ reason: 'csv.value' });
    // A day's grace past the import's time (2026-06-01), for a partner's clock; no later.
    expect(row('phone', '13800138000', '', '', '2026-06-01T23:59:59Z', '')).toMatchObject({ ok: true });
    expect(row('phone', '13800138000', '', '', '2026-06-02T00:00:01Z', '')).toMatchObject({
      reason: 'csv.time_future',
    });
    expect(row('phone', '13800138000', '', '2099-01-01', '', '')).toMatchObject({
      reason: 'csv.time_future',
    });
  });

  it('reads a time with its offset, or a date as midnight China time', () => {
    expect(parseIndicatorCsvTime('')).toEqual({ ok: true, value: null });
    expect(parseIndicatorCsvTime('2026-01-01T00:00:00Z')).toEqual({
      ok: true,
      value: new Date('2026-01-01T00:00:00Z'),
    });
    expect(parseIndicatorCsvTime('2026-01-01T00:00:00')).toMatchObject({ ok: false });
  });

  it('refuses a time the database cannot store, or before 1970, as a bad time', () => {
    for (const t of ['0001-01-01', '0000-01-01', '1969-12-31T23:59:59Z', '9999-12-31T23:00:00-08:00'])
      expect(parseIndicatorCsvTime(t), t).toMatchObject({ ok: false, reason: 'csv.time' });
    expect(parseIndicatorCsvTime('1970-01-01T00:00:00Z')).toMatchObject({ ok: true });
    expect(parseIndicatorCsvTime('9999-12-31')).toEqual({
      ok: true,
      value: new Date('9999-12-30T16:00:00Z'),
    });
  });
});

describe('the writer', () => {
  it('quotes only what needs it', () => {
    expect(csvLine(['+8613800138000', 'a,b', 'say "x"', ' pad', 'two\nlines', ''])).toBe(
      '+8613800138000,"a,b","say ""x"""," pad","two\nlines",\r\n',
    );
    expect(indicatorCsvHeaderLine()).toBe('kind,value,risk,first_seen,last_seen,note,status\r\n');
  });

  it('round-trips any fields through write and read, in any chunks', () => {
    const field = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/\r/g, '\n'));
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 7 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, chunk) => {
          const text = rows.map(csvLine).join('');
          const reader = createCsvReader();
          const out = [];
          for (let i = 0; i < text.length; i += chunk) out.push(...reader.push(text.slice(i, i + chunk)));
          out.push(...reader.end());
          expect(out.map((r) => (isCsvRecordError(r) ? r : r.fields))).toEqual(rows);
        },
      ),
    );
  });

  it('round-trips export rows through the import check: the normal form and times stay', () => {
    const h = parseIndicatorCsvHeader(['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note', 'status']);
    if (!h.ok) throw new Error('header');
    fc.assert(
      fc.property(
        fc.constantFrom('+8613800138000', '+8617000000001', '+862588889999'),
        fc.constantFrom('low', 'medium', 'high', ''),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }),
        fc.string({ maxLength: 40 }).map((s) => s.replace(/\r/g, '\n')),
        fc.constantFrom('active', 'shared', 'suspended', 'not_fraud'),
        (value, risk, at, note, status) => {
          const line = indicatorCsvLine({
            kind: 'phone',
            value,
            risk,
            firstSeen: at.toISOString(),
            lastSeen: at.toISOString(),
            note,
            status,
          });
          const [rec] = records(line);
          const row = indicatorCsvRowOf(h.value, rec!.fields);
          if (!row.ok) throw new Error(row.message);
          expect(checkIndicatorCsvRow(row.value, new Date('2099-01-01'))).toEqual({
            ok: true,
            value: {
              kind: 'phone',
              value,
              risk: risk === '' ? null : risk,
              firstSeen: at,
              lastSeen: at,
              note,
            },
          });
        },
      ),
    );
  });
});
