import { countyLabel, listCounties, listPrefectures } from '@fanzha/domain';
import type { Rng } from './rng';

/**
 * Resident population (常住人口) of Guizhou at the 7th national census, 2020-11-01.
 * - Prefecture totals, exact: 贵州省第七次全国人口普查公报（第二号）— 地区人口情况, 贵州省统计局,
 *   2021-05-25.
 * - County-level figures, in thousands, rounded: the prefectures' own 7th-census communiqués (2021),
 *   compiled by hand for this file; 花溪区 966,276 and 修文县 288,090 were checked against the 贵阳市
 *   communiqué, the others are close to ±5 %. They are scaled to the exact prefecture totals, so a
 *   rounding error moves weight only within its prefecture.
 * Used as weights only: where victims live, so reports spread over the 88 counties as people do.
 */
const prefectureTotals: Record<string, number> = {
  '520100': 5_987_018, // 贵阳市
  '520200': 3_031_602, // 六盘水市
  '520300': 6_606_675, // 遵义市
  '520400': 2_470_630, // 安顺市
  '520500': 6_899_636, // 毕节市
  '520600': 3_298_468, // 铜仁市
  '522300': 3_015_112, // 黔西南州
  '522600': 3_758_622, // 黔东南州
  '522700': 3_494_385, // 黔南州
};

// prettier-ignore
const countyThousands: Record<string, number> = {
  // 贵阳市
  '520102': 1046, '520103': 1115, '520111': 966, '520112': 468, '520113': 381, '520115': 640,
  '520121': 355, '520122': 198, '520123': 288, '520181': 525,
  // 六盘水市
  '520201': 781, '520203': 498, '520204': 720, '520281': 1036,
  // 遵义市
  '520302': 900, '520303': 760, '520304': 650, '520322': 540, '520323': 400, '520324': 390,
  '520325': 240, '520326': 320, '520327': 320, '520328': 380, '520329': 240, '520330': 500,
  '520381': 240, '520382': 680,
  // 安顺市
  '520402': 830, '520403': 300, '520422': 380, '520423': 290, '520424': 270, '520425': 270,
  // 毕节市
  '520502': 1380, '520521': 770, '520523': 540, '520524': 850, '520525': 680, '520526': 1260,
  '520527': 660, '520581': 750,
  // 铜仁市
  '520602': 440, '520603': 150, '520621': 170, '520622': 130, '520623': 300, '520624': 490,
  '520625': 290, '520626': 370, '520627': 450, '520628': 510,
  // 黔西南州
  '522301': 1000, '522302': 420, '522323': 260, '522324': 250, '522325': 300, '522326': 240,
  '522327': 190, '522328': 360,
  // 黔东南州
  '522601': 690, '522622': 250, '522623': 130, '522624': 150, '522625': 200, '522626': 150,
  '522627': 270, '522628': 150, '522629': 180, '522630': 110, '522631': 390, '522632': 300,
  '522633': 300, '522634': 120, '522635': 170, '522636': 130,
  // 黔南州
  '522701': 510, '522702': 300, '522722': 150, '522723': 230, '522725': 400, '522726': 260,
  '522727': 230, '522728': 260, '522729': 200, '522730': 250, '522731': 360, '522732': 280,
};

export interface CountyWeight {
  code: string;
  label: string;
  population: number;
}

/** Every county-level unit of the domain's division list with its population (88 rows). */
export function countyPopulations(): CountyWeight[] {
  return listPrefectures().flatMap((p) => {
    const counties = listCounties(p.code);
    const estimated = counties.map((c) => countyThousands[c.code] ?? 0);
    const sum = estimated.reduce((s, x) => s + x, 0);
    const total = prefectureTotals[p.code] ?? 0;
    return counties.map((c, i) => ({
      code: c.code,
      label: countyLabel(c.code) ?? c.name,
      population: sum === 0 ? 0 : Math.round((total * estimated[i]!) / sum),
    }));
  });
}

const counties = countyPopulations();
const weights = counties.map((c) => c.population);

/** A county chosen in proportion to its population. */
export function pickCounty(rng: Rng): CountyWeight {
  return counties[rng.weightedIndex(weights)]!;
}
