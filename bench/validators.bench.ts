/**
 * Validator throughput, one core: how many inputs per second intake and bulk imports can check.
 * Inputs are generated (valid numbers from the BIN table, IDs with check characters, URLs).
 */
import {
  bankBinRows,
  validateBankCard,
  validateIdNumber,
  validateMobile,
  validateUrl,
  withIdCheckChar,
  withLuhnCheckDigit,
} from '../packages/domain/src/index';
import { machine, report } from './support';

const N = 200_000;
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const digits = (n: number) => Array.from({ length: n }, () => rand(10)).join('');

const cards = Array.from({ length: 1000 }, () => {
  const row = bankBinRows[rand(bankBinRows.length)]!;
  const [bin, length] = [row[0], row[1]];
  return withLuhnCheckDigit(bin + digits(length - bin.length - 1));
});
const mobiles = Array.from({ length: 1000 }, () => `13${rand(10)}${digits(8)}`);
const ids = Array.from({ length: 1000 }, () =>
  withIdCheckChar(`520102${1950 + rand(60)}0${1 + rand(9)}1${rand(9)}${digits(3)}`),
);
const urls = Array.from({ length: 1000 }, (_, i) => `HTTP://Fraud-${i}.Example.com.cn:80/pay?id=${i}#x`);
const today = new Date('2026-06-01T00:00:00Z');

function measure(name: string, inputs: string[], fn: (s: string) => { ok: boolean }): void {
  let ok = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) if (fn(inputs[i % inputs.length]!).ok) ok++;
  const s = (performance.now() - t0) / 1000;
  if (ok !== N) throw new Error(`${name}: ${N - ok} generated inputs were rejected`);
  report(`${name}_per_s`, Math.round(N / s), 'inputs/s');
}

console.log(`# machine: ${machine()}`);
measure('validate_bank_card', cards, (s) => validateBankCard(s));
measure('validate_mobile', mobiles, (s) => validateMobile(s));
measure('validate_id_number', ids, (s) => validateIdNumber(s, today));
measure('validate_url', urls, (s) => validateUrl(s));
