import { listBinsForBank, majorBanks, validateBankCard, withLuhnCheckDigit } from '@fanzha/domain';
import type { Rng } from './rng';

/**
 * Which banks mule cards come from. Mules open ordinary debit cards where they live, so the weights follow
 * the banks' reach in Guizhou: the big four and the rural credit union (贵州农信, in every township) lead,
 * then the postal bank and the Guizhou banks. Our estimate; no figures are published.
 */
export const bankWeights: Readonly<Record<string, number>> = {
  ICBC: 12,
  ABC: 15,
  BOC: 7,
  CCB: 12,
  COMM: 3,
  CITIC: 2,
  CEB: 2,
  HXBANK: 1,
  CMBC: 2,
  GDB: 1,
  SPABANK: 2,
  CMB: 4,
  CIB: 2,
  SPDB: 2,
  ZYCBANK: 3,
  GYCB: 3,
  GZRCU: 14,
  PSBC: 9,
};

const codes = majorBanks.map((b) => b.code);
const weights = codes.map((c) => bankWeights[c] ?? 1);

export function pickBank(rng: Rng): string {
  return codes[rng.weightedIndex(weights)]!;
}

/** Debit-card BINs (16–19 digits) of a bank: the cards mules sell are debit cards. */
const debitBins = new Map(
  codes.map((code) => [
    code,
    listBinsForBank(code).filter((r) => r[3] === 'debit' && r[1] >= 16 && r[1] <= 19),
  ]),
);

/**
 * A card number of `bankCode` that fanzha's validator accepts: a real BIN of the bank, random body, Luhn
 * check digit. Drawn again when a longer prefix of another issuer would claim the number.
 */
export function drawCardNumber(rng: Rng, bankCode: string): string {
  const bins = debitBins.get(bankCode);
  if (!bins || bins.length === 0) throw new Error(`no debit BIN for ${bankCode}`);
  for (;;) {
    const [prefix, length] = rng.pick(bins);
    const number = withLuhnCheckDigit(prefix + rng.digits(length - prefix.length - 1));
    const v = validateBankCard(number);
    if (v.ok && v.value.bankCode === bankCode) return number;
  }
}
