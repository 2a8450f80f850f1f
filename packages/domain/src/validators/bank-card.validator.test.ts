import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bankBinRows,
  findBankByCode,
  listBanks,
  listBinsForBank,
  majorBanks,
  validateBankCard,
  type BankBinRow,
} from './bank-card.validator';
import { isLuhnValid, luhnCheckDigit, withLuhnCheckDigit } from './luhn';

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

// Independent oracle: the longest prefix among rows of the same card length.
function expectedRow(number: string): BankBinRow | undefined {
  return bankBinRows
    .filter((r) => r[1] === number.length && number.startsWith(r[0]))
    .sort((a, b) => b[0].length - a[0].length)[0];
}

/** A Luhn-valid number issued under a random row of the BIN table. */
const validCard = fc
  .record({ row: fc.constantFrom(...bankBinRows), body: digits(30, 30) })
  .map(({ row, body }) => withLuhnCheckDigit(row[0] + body.slice(0, row[1] - row[0].length - 1)));

describe('luhn', () => {
  it('withLuhnCheckDigit always yields a Luhn-valid number', () => {
    fc.assert(fc.property(digits(1, 25), (partial) => isLuhnValid(withLuhnCheckDigit(partial))));
  });

  it('exactly one check digit completes a partial number', () => {
    fc.assert(
      fc.property(digits(1, 25), (partial) => {
        const passing = [...'0123456789'].filter((d) => isLuhnValid(partial + d));
        expect(passing).toEqual([luhnCheckDigit(partial)]);
      }),
    );
  });

  it('passes and fails the synthetic example from the reference notes', () => {
    expect(isLuhnValid('6228480012345678903')).toBe(true);
    expect(isLuhnValid('6228480012345678904')).toBe(false);
  });
});

describe('validateBankCard: properties', () => {
  it('accepts every generated valid number and names the issuer from the table', () => {
    fc.assert(
      fc.property(validCard, (number) => {
        const result = validateBankCard(number);
        const row = expectedRow(number);
        expect(result.ok).toBe(true);
        if (!result.ok || !row) return;
        expect(result.value).toMatchObject({
          number,
          bin: row[0],
          bankCode: row[2],
          cardType: row[3],
          length: number.length,
          passesLuhn: true,
        });
        expect(findBankByCode(result.value.bankCode)?.nameZh).toBe(result.value.bankNameZh);
      }),
    );
  });

  it('ignores spaces and hyphens typed between digits', () => {
    fc.assert(
      fc.property(
        validCard,
        fc.array(fc.constantFrom(' ', '-', '  '), { minLength: 30, maxLength: 30 }),
        (n, seps) => {
          const typed = [...n].map((d, i) => (i % 4 === 3 ? d + (seps[i] ?? '') : d)).join('');
          expect(validateBankCard(` ${typed} `)).toEqual(validateBankCard(n));
        },
      ),
    );
  });

  it('rejects any single changed digit after the BIN with card.luhn', () => {
    fc.assert(
      fc.property(validCard, fc.nat(), fc.integer({ min: 1, max: 9 }), (n, at, delta) => {
        // Positions from 10 on lie beyond every BIN prefix, so the issuer lookup is unchanged.
        const i = 10 + (at % (n.length - 10));
        const changed = n.slice(0, i) + String((Number(n[i]) + delta) % 10) + n.slice(i + 1);
        expect(validateBankCard(changed)).toMatchObject({ ok: false, reason: 'card.luhn' });
      }),
    );
  });

  it('accepts a failing check digit when Luhn is not required, and says so', () => {
    fc.assert(
      fc.property(validCard, fc.integer({ min: 1, max: 9 }), (n, delta) => {
        const last = String((Number(n.at(-1)) + delta) % 10);
        const result = validateBankCard(n.slice(0, -1) + last, { requireLuhn: false });
        expect(result).toMatchObject({ ok: true, value: { passesLuhn: false } });
      }),
    );
  });

  it('rejects a length that no issuer of that prefix uses with card.length', () => {
    fc.assert(
      fc.property(validCard, fc.integer({ min: 8, max: 24 }), digits(24, 24), (n, length, filler) => {
        const candidate = withLuhnCheckDigit((n + filler).slice(0, length - 1));
        fc.pre(expectedRow(candidate) === undefined);
        expect(validateBankCard(candidate)).toMatchObject({ ok: false, reason: 'card.length' });
      }),
    );
  });

  it('rejects letters and other characters with card.not_digits', () => {
    fc.assert(
      fc.property(validCard, fc.nat(), fc.constantFrom(...'aZxO#.+/'), (n, at, ch) => {
        const i = at % n.length;
        expect(validateBankCard(n.slice(0, i) + ch + n.slice(i))).toMatchObject({
          ok: false,
          reason: 'card.not_digits',
        });
      }),
    );
  });

  it('rejects a Luhn-valid number of normal length with an unknown prefix as card.unknown_bin', () => {
    expect(bankBinRows.some((r) => r[0].startsWith('7') || r[0].startsWith('0'))).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom('7', '0'),
        fc.integer({ min: 16, max: 19 }),
        digits(18, 18),
        (first, len, body) => {
          const number = withLuhnCheckDigit((first + body).slice(0, len - 1));
          expect(validateBankCard(number)).toMatchObject({ ok: false, reason: 'card.unknown_bin' });
        },
      ),
    );
  });

  it('rejects blank input with card.empty', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(' ', '-', '\t') }), (blank) => {
        expect(validateBankCard(blank)).toMatchObject({ ok: false, reason: 'card.empty' });
      }),
    );
  });
});

describe('findBankByCode', () => {
  it('knows the banks of the BIN table, and no name every JavaScript object has', () => {
    expect(findBankByCode('ICBC')?.nameZh).toBe('中国工商银行');
    for (const code of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])
      expect(findBankByCode(code), code).toBeUndefined();
  });
});

describe('validateBankCard: examples', () => {
  it('recognises an ABC debit card', () => {
    expect(validateBankCard('6228 4800 1234 5678 903')).toEqual({
      ok: true,
      value: {
        number: '6228480012345678903',
        bin: '622848',
        bankCode: 'ABC',
        bankNameZh: '中国农业银行',
        bankNameEn: 'Agricultural Bank of China',
        cnapsCategory: '103',
        cardType: 'debit',
        length: 19,
        passesLuhn: true,
      },
    });
  });

  it('tells apart issuers that share a BIN by card length (622303)', () => {
    const icbc = validateBankCard(withLuhnCheckDigit('62230312345678901'));
    const njcb = validateBankCard(withLuhnCheckDigit('622303123456789'));
    expect(icbc).toMatchObject({ ok: true, value: { bankCode: 'ICBC', length: 18, cardType: 'debit' } });
    expect(njcb).toMatchObject({ ok: true, value: { bankCode: 'NJCB', length: 16, cardType: 'credit' } });
  });

  it('knows the three Guizhou issuers', () => {
    expect(validateBankCard(withLuhnCheckDigit('621460123456789012'))).toMatchObject({
      ok: true,
      value: { bankCode: 'ZYCBANK', bankNameZh: '贵州银行', cnapsCategory: '313' },
    });
    expect(validateBankCard(withLuhnCheckDigit('622133123456789012'))).toMatchObject({
      ok: true,
      value: { bankCode: 'GYCB', bankNameZh: '贵阳银行' },
    });
    expect(validateBankCard(withLuhnCheckDigit('622893123456789012'))).toMatchObject({
      ok: true,
      value: { bankCode: 'GZRCU', bankNameZh: '贵州省农村信用社联合社', cnapsCategory: '402' },
    });
  });

  it('keeps Guangzhou Rural Commercial Bank apart from 贵州农信 (bankcardinfo calls both GZRCU)', () => {
    expect(validateBankCard(withLuhnCheckDigit('62152212345678901'))).toMatchObject({
      ok: true,
      value: { bankCode: 'GRCB', bankNameEn: null, cnapsCategory: null },
    });
  });

  it('accepts a 15-digit card where the issuer uses that length (ICBC Amex)', () => {
    expect(validateBankCard(withLuhnCheckDigit('37024712345678'))).toMatchObject({
      ok: true,
      value: { bankCode: 'ICBC', length: 15 },
    });
  });

  it('names the lengths the issuer uses when the length is wrong', () => {
    const result = validateBankCard(withLuhnCheckDigit('62284800123456'));
    expect(result).toMatchObject({ ok: false, reason: 'card.length' });
    expect(!result.ok && result.message).toContain('19');
  });

  it('lists the 18 major issuers first, each with BINs in the table', () => {
    const banks = listBanks();
    expect(banks.slice(0, 18).map((b) => b.code)).toEqual(majorBanks.map((b) => b.code));
    expect(new Set(banks.map((b) => b.code)).size).toBe(banks.length);
    for (const bank of majorBanks) expect(listBinsForBank(bank.code).length).toBeGreaterThan(0);
    expect(findBankByCode('NO_SUCH_BANK')).toBeUndefined();
  });
});
