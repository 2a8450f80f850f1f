import { describe, expect, it } from 'vitest';
import { checkTwoCardCsv, checkTwoCardImportRow, isImportProblem } from './import-rows';

const TODAY = new Date('2026-06-01T00:00:00Z');

describe('two-cards import rows', () => {
  it('takes good CSV rows and reports each bad one by line without stopping', () => {
    const csv = [
      'kind,number,holder_id_number,institution,place_code,place_name,opened_on',
      'bank,6228480012345678903,520102199003070014,,B001,"贵阳市南明支行",2025-03-01',
      'sim,13812345678,520102199003070015,,,营业厅,',
      'sim,13812345678,52010219900307009x,,,营业厅,2030-01-01',
      'sim,13812345678,52010219900307009x,,,营业厅,',
      'bank,6228480012345678903,520102199003070014',
    ].join('\n');
    const rows = checkTwoCardCsv(csv, TODAY);
    expect(rows.map((r) => (isImportProblem(r) ? `${r.line}:${r.field}:${r.reason}` : r.line))).toEqual([
      2,
      '3:holder_id_number:id.check_char',
      '4:opened_on:in_future',
      5,
      '6:row:field_count',
    ]);
    expect(rows[3]).toMatchObject({
      holderIdNumber: '52010219900307009X',
      card: { operator: 'china_mobile' },
    });
  });

  it('refuses a header naming an unknown column, and a row with an unknown field', () => {
    expect(checkTwoCardCsv('kind,number,holder_id_number,colour\n', TODAY)).toEqual([
      expect.objectContaining({ line: 1, field: 'header', reason: 'unknown_column' }),
    ]);
    expect(checkTwoCardImportRow(1, { kind: 'sim', colour: 'red' }, TODAY)).toMatchObject({
      field: 'colour',
      reason: 'unknown_field',
    });
    expect(checkTwoCardImportRow(2, { kind: 'sim', number: 5 }, TODAY)).toMatchObject({
      field: 'number',
      reason: 'not_text',
    });
  });

  it('refuses a bank the deployment does not know, as it refuses an unknown operator', () => {
    const row = (institution: string) =>
      checkTwoCardImportRow(
        1,
        {
          kind: 'bank',
          number: '6228480012345678903',
          holder_id_number: '520102199003070014',
          institution,
          place_name: '南明支行',
        },
        TODAY,
      );
    // A bank's instructions go to its code: a card under `icbc` or a made-up code would reach no bank.
    for (const code of ['icbc', 'NOBANK', 'constructor'])
      expect(row(code)).toMatchObject({ line: 1, field: 'institution', reason: 'bank.unknown' });
    expect(row('ICBC')).toMatchObject({ card: { kind: 'bank', bankCode: 'ICBC' } });
    expect(row('')).toMatchObject({ card: { kind: 'bank', bankCode: 'ABC' } });
  });
});
