// Luhn (mod 10), as used for the check digit of ISO/IEC 7812 card numbers (JR/T 0008 in China).

function luhnSum(digits: string, doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/** True when the last digit of `digits` is the correct Luhn check digit. Digits only. */
export function isLuhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnSum(digits, false) % 10 === 0;
}

/** The Luhn check digit that completes `partial` (all digits, without its check digit). */
export function luhnCheckDigit(partial: string): string {
  if (!/^\d*$/.test(partial)) throw new Error('luhnCheckDigit: digits only');
  return String((10 - (luhnSum(partial, true) % 10)) % 10);
}

/** `partial` with its Luhn check digit appended: makes valid card numbers for tests and the simulator. */
export function withLuhnCheckDigit(partial: string): string {
  return partial + luhnCheckDigit(partial);
}
