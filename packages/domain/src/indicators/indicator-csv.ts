import { invalid, valid, type Validation } from '../validators/result';
import { indicatorKinds, normaliseIndicator, type IndicatorKind } from './indicator-kind';
import { indicatorRiskLevels, indicatorStatuses } from './indicator-snapshot';
import type { IndicatorRiskLevel } from './indicator-snapshot';

/**
 * The exchange format of indicators (CSV, RFC 4180): a header line naming the columns, then one indicator a
 * record. Fields with a comma, a quote, a line break or surrounding spaces are quoted (`"` doubled inside),
 * so a record may span lines; a line number is where its record starts (the header is line 1).
 *
 * Columns: `kind,value,risk,first_seen,last_seen,note`, and `status` on export (an import reads it but never
 * sets a status from it: shared and suspended are an analyst's decisions).
 */
export const indicatorCsvColumns = ['kind', 'value', 'risk', 'first_seen', 'last_seen', 'note'] as const;
export type IndicatorCsvColumn = (typeof indicatorCsvColumns)[number] | 'status';
/** What an export writes: the import's columns and the status. */
export const indicatorCsvExportColumns = [...indicatorCsvColumns, 'status'] as const;

/** Longest value and note a row may carry. */
export const indicatorCsvLimits = { value: 500, note: 500 } as const;

/** One record as read: its fields, and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record the reader could not split (an unclosed quote, text after a closing quote). */
export interface CsvRecordError {
  line: number;
  reason: 'csv.quote';
  message: string;
}

/**
 * Splits CSV text into records, chunk by chunk (a file of millions of lines is never held whole): `push` a
 * chunk, take the records it completed; `end` takes the last. Empty lines are skipped. A record broken by a
 * stray quote is reported with its line and the reader carries on at the next line.
 */
export function createCsvReader() {
  let line = 1;
  let start = 1;
  let field = '';
  let fields: string[] = [];
  // 'field': at a field's start; 'plain' in an unquoted one; 'quoted'; 'quote' just after a quote in a
  // quoted field; 'broken': skipping the rest of a bad line.
  let state: 'field' | 'plain' | 'quoted' | 'quote' | 'broken' = 'field';
  let sawCr = false;
  let out: Array<CsvRecord | CsvRecordError> = [];

  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
    fields = [];
    field = '';
    state = 'field';
  };
  const broken = (message: string) => {
    out.push({ line: start, reason: 'csv.quote', message });
    fields = [];
    field = '';
    state = 'broken';
  };

  function take(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (sawCr) {
        sawCr = false;
        if (c === '\n') continue; // the \n of a \r\n already ended its line
      }
      const isBreak = c === '\n' || c === '\r';
      if (c === '\r') sawCr = true;
      switch (state) {
        case 'broken':
          if (isBreak) {
            line++;
            start = line;
            state = 'field';
          }
          break;
        case 'quoted':
          if (c === '"') state = 'quote';
          else {
            field += c === '\r' ? '\n' : c;
            if (isBreak) line++;
          }
          break;
        case 'quote':
          if (c === '"') {
            field += '"';
            state = 'quoted';
          } else if (c === ',') {
            fields.push(field);
            field = '';
            state = 'field';
          } else if (isBreak) {
            endRecord();
            line++;
            start = line;
          } else broken('Text after a closing quote: a quote inside a quoted field is written twice ("")');
          break;
        case 'field':
        case 'plain':
          if (c === ',') {
            fields.push(field);
            field = '';
            state = 'field';
          } else if (isBreak) {
            endRecord();
            line++;
            start = line;
          } else if (c === '"') {
            if (state === 'field') state = 'quoted';
            else broken('A quote inside an unquoted field: quote the whole field and write the quote twice');
          } else {
            field += c;
            state = 'plain';
          }
          break;
      }
    }
  }

  return {
    /** Reads a chunk; returns the records it completed. */
    push(text: string): Array<CsvRecord | CsvRecordError> {
      take(text);
      const done = out;
      out = [];
      return done;
    },
    /** Ends the text; returns the last record (or the error of an unclosed quote). */
    end(): Array<CsvRecord | CsvRecordError> {
      if (state === 'quoted') broken('A quoted field is not closed before the end of the file');
      else if (state !== 'broken' && (field !== '' || fields.length > 0)) endRecord();
      const done = out;
      out = [];
      return done;
    },
  };
}

export const isCsvRecordError = (r: CsvRecord | CsvRecordError): r is CsvRecordError => 'reason' in r;

/** Splits a whole text (tests, small files). */
export function readCsv(text: string): Array<CsvRecord | CsvRecordError> {
  const reader = createCsvReader();
  return [...reader.push(text), ...reader.end()];
}

/** Where each column sits in a file's records, from its header. */
export type IndicatorCsvHeader = Readonly<Partial<Record<IndicatorCsvColumn, number>>>;

/**
 * The header: names every import column once, in any order, and `status` optionally; nothing else.
 * Column names are matched case-insensitively, surrounding spaces and a UTF-8 byte-order mark ignored.
 */
export function parseIndicatorCsvHeader(fields: readonly string[]): Validation<IndicatorCsvHeader> {
  const known = new Set<string>(indicatorCsvExportColumns);
  const at: Partial<Record<IndicatorCsvColumn, number>> = {};
  for (const [i, raw] of fields.entries()) {
    const name = raw
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
    if (!known.has(name))
      return invalid(
        'csv.header',
        `Unknown column "${raw}": the columns are ${indicatorCsvExportColumns.join(',')}`,
      );
    if (at[name as IndicatorCsvColumn] !== undefined)
      return invalid('csv.header', `Column "${name}" appears twice`);
    at[name as IndicatorCsvColumn] = i;
  }
  const missing = indicatorCsvColumns.filter((c) => at[c] === undefined);
  if (missing.length > 0)
    return invalid(
      'csv.header',
      `Missing column(s) ${missing.join(', ')}: the header names ${indicatorCsvColumns.join(',')}`,
    );
  return valid(at);
}

/** One row of the exchange format, as written in a file (before normalisation). */
export interface IndicatorCsvRow {
  kind: string;
  value: string;
  risk: string;
  firstSeen: string;
  lastSeen: string;
  note: string;
  /** Export only. */
  status?: string;
}

/** The row a record holds, by the header's columns; a record of another width is refused. */
export function indicatorCsvRowOf(
  header: IndicatorCsvHeader,
  fields: readonly string[],
): Validation<IndicatorCsvRow> {
  const width = Object.keys(header).length;
  if (fields.length !== width)
    return invalid('csv.columns', `The record has ${fields.length} field(s); the header names ${width}`);
  const get = (c: IndicatorCsvColumn) => (header[c] === undefined ? '' : fields[header[c]]!);
  return valid({
    kind: get('kind'),
    value: get('value'),
    risk: get('risk'),
    firstSeen: get('first_seen'),
    lastSeen: get('last_seen'),
    note: get('note'),
    ...(header.status !== undefined ? { status: get('status') } : {}),
  });
}

/** A row checked and normalised: what an import merges. */
export interface ImportedIndicator {
  kind: IndicatorKind;
  /** The normal form. */
  value: string;
  risk: IndicatorRiskLevel | null;
  firstSeen: Date | null;
  lastSeen: Date | null;
  note: string;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/**
 * The times a sighting may have: from 1970 to the end of 9999 (UTC). A date the calendar has but the database
 * cannot store (`0001-01-01` is the year 0 in UTC, `9999-12-31T23:00-08:00` the year 10000) is refused by line
 * like any other bad time, rather than failing the chunk's statement.
 */
const EARLIEST_TIME = Date.UTC(1970, 0, 1);
const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A time as written in the file: ISO 8601 with its offset, or a date alone (midnight, China time). */
export function parseIndicatorCsvTime(text: string): Validation<Date | null> {
  const t = text.trim();
  if (t === '') return valid(null);
  const date = DATE_ONLY.exec(t);
  const iso = date ? `${t}T00:00:00+08:00` : DATE_TIME.test(t) ? t : undefined;
  const at = iso === undefined ? undefined : new Date(iso);
  const day = new Date(`${t}T00:00:00Z`);
  const isRealDay = !date || (!Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === t);
  if (!at || Number.isNaN(at.getTime()) || !isRealDay)
    return invalid(
      'csv.time',
      `Not a time: "${t.slice(0, 40)}" (write 2026-03-01 or 2026-03-01T08:30:00+08:00)`,
    );
  if (at.getTime() < EARLIEST_TIME || at.getTime() > LATEST_TIME)
    return invalid('csv.time', `Out of range: "${t.slice(0, 40)}" (a time from 1970 to 9999)`);
  return valid(at);
}

/** How far past the import's time a sighting may fall: a partner's clock or time zone, not a sighting to come. */
export const indicatorCsvFutureSkewMs = 24 * 3_600_000;

/**
 * Checks and normalises a row: the kind, the value in its normal form, the risk, the times, the note. A
 * sighting more than a day after `now` (the import's time) is refused: nothing is seen in the future, and a
 * `last_seen` of 2099 would stand first in every list by recency for ever.
 */
export function checkIndicatorCsvRow(row: IndicatorCsvRow, now: Date): Validation<ImportedIndicator> {
  const kind = row.kind.trim().toLowerCase();
  if (!(indicatorKinds as readonly string[]).includes(kind))
    return invalid(
      'csv.kind',
      `Unknown kind "${row.kind.slice(0, 40)}": one of ${indicatorKinds.join(', ')}`,
    );
  if (row.value.trim() === '') return invalid('csv.value', 'The value is empty');
  if (row.value.length > indicatorCsvLimits.value)
    return invalid('csv.value', `The value is longer than ${indicatorCsvLimits.value} characters`);
  const normal = normaliseIndicator(kind as IndicatorKind, row.value);
  if (!normal.ok) return normal;
  const risk = row.risk.trim().toLowerCase();
  if (risk !== '' && !(indicatorRiskLevels as readonly string[]).includes(risk))
    return invalid(
      'csv.risk',
      `Unknown risk "${row.risk.slice(0, 40)}": one of ${indicatorRiskLevels.join(', ')} or empty`,
    );
  const first = parseIndicatorCsvTime(row.firstSeen);
  if (!first.ok) return first;
  const last = parseIndicatorCsvTime(row.lastSeen);
  if (!last.ok) return last;
  if (first.value && last.value && first.value > last.value)
    return invalid('csv.time_order', 'first_seen is after last_seen');
  const latest = now.getTime() + indicatorCsvFutureSkewMs;
  for (const [column, at] of [
    ['first_seen', first.value],
    ['last_seen', last.value],
  ] as const)
    if (at && at.getTime() > latest)
      return invalid(
        'csv.time_future',
        `${column} is in the future: "${at.toISOString()}" (after the import)`,
      );
  if (row.note.length > indicatorCsvLimits.note)
    return invalid('csv.note', `The note is longer than ${indicatorCsvLimits.note} characters`);
  if (
    row.status !== undefined &&
    row.status.trim() !== '' &&
    !(indicatorStatuses as readonly string[]).includes(row.status.trim())
  )
    return invalid('csv.status', `Unknown status "${row.status.slice(0, 40)}"`);
  return valid({
    kind: kind as IndicatorKind,
    value: normal.value,
    risk: risk === '' ? null : (risk as IndicatorRiskLevel),
    firstSeen: first.value,
    lastSeen: last.value,
    note: row.note,
  });
}

/** A field as written: quoted when it holds a comma, a quote, a line break or surrounding spaces. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record's line (with its line break). */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The export's header line. */
export const indicatorCsvHeaderLine = () => csvLine(indicatorCsvExportColumns);

/** A row's line in the export's column order. */
export function indicatorCsvLine(row: IndicatorCsvRow & { status: string }): string {
  return csvLine([row.kind, row.value, row.risk, row.firstSeen, row.lastSeen, row.note, row.status]);
}
