import { describe, expect, it } from 'vitest';
import { toFormErrors } from './field-errors';

const fields = ['username', 'password', 'countyCode'] as const;

describe('toFormErrors', () => {
  it('puts body problems on their fields, several per field', () => {
    const details = [
      { field: 'body.username', reason: 'invalid_format', message: 'bad username' },
      { field: 'body.password', reason: 'too_small', message: 'at least 12 characters' },
      { field: 'body.password', reason: 'x', message: 'second' },
    ];
    expect(toFormErrors(details, fields)).toEqual({
      fields: [
        { name: 'username', errors: ['bad username'] },
        { name: 'password', errors: ['at least 12 characters', 'second'] },
      ],
      other: [],
    });
  });

  it('keeps problems of unknown fields for the form as a whole', () => {
    const details = [{ field: 'body', reason: 'unrecognized_keys', message: 'extra key' }];
    expect(toFormErrors(details, fields)).toEqual({ fields: [], other: ['body: extra key'] });
  });

  it('lets the caller choose the words', () => {
    const details = [{ field: 'body.countyCode', reason: 'division.unknown', message: 'unknown' }];
    expect(toFormErrors(details, fields, (p) => `[${p.reason}]`).fields).toEqual([
      { name: 'countyCode', errors: ['[division.unknown]'] },
    ]);
  });

  it('ignores anything that is not a list of problems', () => {
    expect(toFormErrors(undefined, fields)).toEqual({ fields: [], other: [] });
    expect(toFormErrors([1, { field: 'x' }], fields)).toEqual({ fields: [], other: [] });
  });
});
