import { isLuhnValid, majorBanks, validateBankCard } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { bankWeights, drawCardNumber, pickBank } from './cards';
import { rngFor } from './rng';

describe('mule cards', () => {
  it('issues valid card numbers of every major bank: its BIN, a right length, a Luhn check digit', () => {
    const rng = rngFor('cards');
    for (const bank of majorBanks)
      for (let i = 0; i < 200; i++) {
        const number = drawCardNumber(rng, bank.code);
        expect(isLuhnValid(number)).toBe(true);
        const v = validateBankCard(number);
        expect(v.ok, `${bank.code} ${number}`).toBe(true);
        if (v.ok) {
          expect(v.value.bankCode).toBe(bank.code);
          expect(v.value.cardType).toBe('debit');
        }
      }
  });

  it('has a weight for each of the 18 major issuers and draws by it', () => {
    expect(Object.keys(bankWeights).sort()).toEqual(majorBanks.map((b) => b.code).sort());
    const rng = rngFor('banks');
    const picks = Array.from({ length: 20_000 }, () => pickBank(rng));
    const total = Object.values(bankWeights).reduce((s, w) => s + w, 0);
    expect(picks.filter((b) => b === 'ABC').length / picks.length).toBeCloseTo(bankWeights.ABC! / total, 1);
  });
});
