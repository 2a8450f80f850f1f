import {
  mobileSegments,
  validateMobile,
  withIdCheckChar,
  type Carrier,
  type MobileCategory,
} from '@fanzha/domain';
import type { Rng } from './rng';

/**
 * Names, ID numbers and phone numbers that pass fanzha's validators and look like Guizhou's. Surname
 * weights: the most common surnames of China's household register (公安部户籍管理研究中心, 2020 list, in
 * per mille), with 罗 and 龙 raised as they are in Guizhou (our estimate).
 */
// prettier-ignore
const surnames: ReadonlyArray<readonly [string, number]> = [
  ['王', 71], ['李', 69], ['张', 64], ['刘', 54], ['陈', 45], ['杨', 40], ['黄', 22], ['赵', 20],
  ['吴', 25], ['周', 19], ['徐', 13], ['孙', 12], ['马', 12], ['朱', 11], ['胡', 11], ['郭', 10],
  ['何', 10], ['罗', 15], ['高', 9], ['林', 9], ['龙', 8], ['谢', 7], ['宋', 6], ['唐', 6],
  ['韩', 6], ['冯', 5], ['邓', 6], ['曹', 5], ['彭', 5], ['田', 6], ['潘', 4], ['蒙', 3],
];
const surnameWeights = surnames.map(([, w]) => w);
const givenChars = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲兰红梅林辉鹏飞雪婷建国志文斌宇浩然欣怡晨',
];

export function drawName(rng: Rng): string {
  const surname = surnames[rng.weightedIndex(surnameWeights)]![0];
  const length = rng.chance(0.7) ? 2 : 1;
  return surname + Array.from({ length }, () => rng.pick(givenChars)).join('');
}

/**
 * Victims' ages (2023 victims, Ministry of Public Security release of 2024-06-25): 62.1 % aged 18–40,
 * 33.1 % aged 41–65, the remaining 4.8 % split here between 16–17 and 66–80 (our estimate).
 */
const ageBands: ReadonlyArray<readonly [min: number, max: number, share: number]> = [
  [18, 40, 62.1],
  [41, 65, 33.1],
  [16, 17, 1.8],
  [66, 80, 3.0],
];

export function drawAge(rng: Rng): number {
  const [min, max] = ageBands[rng.weightedIndex(ageBands.map((b) => b[2]))]!;
  return rng.int(min, max);
}

/** An 18-character ID number registered in `countyCode`, for someone of `age` on `today` (UTC+8 date). */
export function drawIdNumber(rng: Rng, countyCode: string, age: number, today: Date): string {
  const year = new Date(today.getTime() + 8 * 3_600_000).getUTCFullYear() - age - 1;
  const dayOfYear = rng.int(0, 364);
  const birth = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86_400_000);
  const yyyymmdd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  return withIdCheckChar(`${countyCode}${yyyymmdd}${rng.digits(3)}`);
}

/** Subscribers by carrier in Guizhou: our estimate from the carriers' national shares. */
const carrierShares: ReadonlyArray<readonly [Carrier, number]> = [
  ['china_mobile', 60],
  ['china_telecom', 22],
  ['china_unicom', 15],
  ['china_broadnet', 3],
];

function segmentsOf(carrier: Carrier, category: MobileCategory) {
  return mobileSegments.filter((s) => s.carrier === carrier && s.category === category);
}

/** An 11-digit mobile number of a carrier and category (e.g. 'mvno', the virtual operators). */
export function drawMobile(rng: Rng, category: MobileCategory = 'basic', carrier?: Carrier): string {
  // Only carriers that have such numbers (China Broadnet has no virtual operators).
  const shares = carrierShares.filter(([c]) => segmentsOf(c, category).length > 0);
  for (;;) {
    const c = carrier ?? shares[rng.weightedIndex(shares.map((s) => s[1]))]![0];
    const segments = segmentsOf(c, category);
    if (segments.length === 0) throw new Error(`no ${category} segment for ${c}`);
    const prefix = rng.pick(segments).prefix;
    const number = prefix + rng.digits(11 - prefix.length);
    // A longer prefix inside the segment may belong elsewhere (1349 is satellite): draw again then.
    const v = validateMobile(number);
    if (v.ok && v.value.category === category && v.value.carrier === c) return number;
  }
}

// prettier-ignore
const roads = ['人民路', '中华路', '解放路', '延安路', '新华路', '建设路', '北京路', '遵义路', '文化路', '兴关路', '幸福路', '民主路'];

export function drawAddress(rng: Rng, countyLabel: string): string {
  return `贵州省${countyLabel}${rng.pick(roads)}${rng.int(1, 399)}号`;
}

/** Where fraud calls come from: rented mainland SIMs, virtual operators, and abroad (our estimate). */
// prettier-ignore
const abroad = ['+63', '+855', '+95', '+60', '+852', '+886'];

export function drawFraudPhone(rng: Rng): string {
  const r = rng.next();
  if (r < 0.35) return drawMobile(rng, 'mvno');
  if (r < 0.7) return drawMobile(rng, 'basic');
  return `${rng.pick(abroad)}${rng.digits(rng.int(8, 9))}`;
}
