import type { WallBank, WallCounty, WallHour } from '@fanzha/contracts';
import { listCounties } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { wallTranslator } from '../wall.messages';
import { banksOption } from './banks-option';
import { fraudTypesShareOption, fraudTypesTrendOption } from './fraud-types-option';
import { chinaHour, hourlyOption } from './hourly-option';
import { mapLeaders, mapOption, quantileBreaks } from './map-option';
import { WALL_TEXT, type OptionContext } from './option-context';

const zh: OptionContext = { t: wallTranslator('zh-CN'), locale: 'zh-CN', scale: 1 };
const en: OptionContext = { t: wallTranslator('en-US'), locale: 'en-US', scale: 2 };

// ECharts option types are wide unions; the tests read the parts they check through this shape.
interface Series {
  type: string;
  name?: string;
  data: Array<{ name?: string; value: number; label?: { show?: boolean; formatter?: string } } | number>;
  label?: { formatter?: unknown; fontSize?: number };
}
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

const county = (code: string, reportsMonth: number, lossMonthFen: number): WallCounty => ({
  code,
  reportsToday: 0,
  lossTodayFen: 0,
  reportsMonth,
  lossMonthFen,
});

describe('the map', () => {
  const counties = [county('520102', 7, 12_345_600), county('522301', 2, 99_000_000)];

  it('shades every county, with zero where nothing happened', () => {
    const [map] = seriesOf(mapOption(counties, 'reports', zh));
    expect(map?.data).toHaveLength(listCounties().length);
    expect(map?.data).toContainEqual(expect.objectContaining({ name: '520102', value: 7 }));
    expect(map?.data).toContainEqual({ name: '520103', value: 0 });
  });

  it('switches to losses in 万元, and names no county on the shapes (they are listed beside it)', () => {
    const option = mapOption(counties, 'loss', zh);
    const [map] = seriesOf(option);
    expect(map?.data).toContainEqual({ name: '522301', value: 99 });
    expect(map?.data).toContainEqual({ name: '520102', value: 12.3456 });
    expect(map?.data.filter((d) => typeof d === 'object' && d.label?.show)).toEqual([]);
    expect((map?.label as { show: boolean }).show).toBe(false);
    expect(mapLeaders(counties, 'loss')).toEqual([
      { code: '522301', value: 99 },
      { code: '520102', value: 12.3456 },
    ]);
    expect(mapLeaders(counties, 'reports').map((c) => c.code)).toEqual(['520102', '522301']);
  });

  it('shades by quantile classes, so a few outliers do not leave the rest of the province one colour', () => {
    // Three counties far ahead, the others spread between 1 and 20 reports.
    const many = listCounties().map((c, i) => county(c.code, i < 3 ? 900 + i : 1 + (i % 20), 0));
    const option = mapOption(many, 'reports', zh) as unknown as {
      visualMap: {
        type: string;
        pieces: Array<{ gt?: number; lte?: number; value?: number; color: string }>;
      };
    };
    expect(option.visualMap.type).toBe('piecewise');
    const classes = option.visualMap.pieces.filter((p) => p.lte !== undefined);
    const inClass = classes.map(
      (p) => many.filter((c) => c.reportsMonth > p.gt! && c.reportsMonth <= p.lte!).length,
    );
    expect(classes.length).toBe(5);
    // Every class holds a fair share of the counties; on a linear scale all but three sat in the first.
    for (const n of inClass) expect(n).toBeGreaterThanOrEqual(many.length / 10);
    expect(new Set(option.visualMap.pieces.map((p) => p.color)).size).toBe(option.visualMap.pieces.length);
    expect(quantileBreaks([0, 0, 5])).toEqual([5]);
    expect(quantileBreaks([])).toEqual([]);
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 5)).toEqual([2, 4, 6, 8, 1000]);
  });

  it('is click-free and scales its text with the screen', () => {
    const big = seriesOf(mapOption(counties, 'reports', en))[0] as unknown as {
      silent: boolean;
      roam: boolean;
      label: { fontSize: number };
    };
    expect(big).toMatchObject({ silent: true, roam: false });
    expect(big.label.fontSize).toBe(2 * WALL_TEXT);
  });
});

describe('the hours', () => {
  const hours: WallHour[] = Array.from({ length: 24 }, (_, i) => ({
    hour: new Date(Date.UTC(2026, 4, 1, i)).toISOString(),
    reports: i,
    lossFen: i * 1_000_000,
  }));

  it('labels hours in China time and draws losses in 万元 on their own axis', () => {
    expect(chinaHour('2026-05-01T16:00:00.000Z')).toBe('00');
    const option = hourlyOption(hours, zh) as unknown as { xAxis: { data: string[] } };
    expect(option.xAxis.data.slice(0, 2)).toEqual(['08', '09']);
    const [bars, line] = seriesOf(option);
    expect(bars?.data.at(-1)).toBe(23);
    expect(line?.data.at(-1)).toBe(23);
    expect(line?.name).toBe('损失（万元）');
  });
});

describe('fraud types', () => {
  it('names the types as the room says them, and the unclassified honestly', () => {
    const [pie] = seriesOf(
      fraudTypesShareOption(
        [
          { code: 'TASK_REBATE', reports: 3, lossFen: 1 },
          { code: null, reports: 1, lossFen: 1 },
        ],
        zh,
      ),
    );
    expect(pie?.data).toEqual([
      { name: '刷单返利', value: 3 },
      { name: '类型待定', value: 1 },
    ]);
    expect(
      seriesOf(fraudTypesShareOption([{ code: 'ROMANCE', reports: 1, lossFen: 1 }], en))[0]?.data,
    ).toEqual([{ name: 'Online dating / romance ("pig-butchering")', value: 1 }]);
  });

  it('names at most five types beside the ring, the rest as one slice', () => {
    const month = [
      'TASK_REBATE',
      'ROMANCE',
      'FAKE_LOAN',
      'FAKE_INVESTMENT',
      'GAME_ITEM_TRADE',
      'OTHER',
      'FAKE_CREDIT_REPAIR',
    ].map((code, i) => ({ code, reports: 10 - i, lossFen: 1 }));
    const [pie] = seriesOf(fraudTypesShareOption(month, zh));
    expect(pie?.data).toHaveLength(6);
    expect(pie?.data.at(-1)).toEqual({ name: '其余类型', value: 5 + 4 });
  });

  it('draws the trend of the three most frequent types', () => {
    const days = ['2026-04-30', '2026-05-01'];
    const series = ['TASK_REBATE', 'ROMANCE', 'FAKE_LOAN', 'FAKE_INVESTMENT', 'GAME_ITEM_TRADE', 'OTHER'].map(
      (code, i) => ({ code, reports: [i, i] }),
    );
    const lines = seriesOf(fraudTypesTrendOption({ days, series }, zh));
    expect(lines.map((l) => l.name)).toEqual(['其他类型', '网络游戏产品虚假交易', '虚假网络投资理财']);
  });
});

describe('banks', () => {
  const bank = (bankCode: string, answered: number, medianS: number | null): WallBank => ({
    bankCode,
    bankName: bankCode === 'ICBC' ? '工商银行' : null,
    answered,
    stopped: answered,
    medianS,
    p90S: medianS,
  });

  it('shows the busiest banks with their median and count, busiest on top', () => {
    const [bars] = seriesOf(
      banksOption([bank('ICBC', 9, 95.4), bank('CCB', 3, 40), bank('ABC', 2, null)], zh),
    );
    expect(bars?.data).toEqual([
      { value: 40, label: { formatter: '40 秒 · 3 笔' } },
      { value: 95.4, label: { formatter: '95 秒 · 9 笔' } },
    ]);
  });
});

/** Every font size an option sets, wherever it sits (axis labels, legends, series labels, scales). */
function fontSizes(value: unknown, path = ''): Array<{ path: string; size: number }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => fontSizes(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'fontSize' && typeof v === 'number' ? [{ path, size: v }] : fontSizes(v, `${path}.${key}`),
  );
}

describe('read from 5 m', () => {
  const counties = listCounties().map((c, i) => county(c.code, i, i * 1000));
  const hours: WallHour[] = [{ hour: '2026-05-01T00:00:00.000Z', reports: 1, lossFen: 1 }];
  const bank: WallBank = {
    bankCode: 'ICBC',
    bankName: '工商银行',
    answered: 1,
    stopped: 1,
    medianS: 9,
    p90S: 9,
  };
  const options = (ctx: OptionContext) => ({
    mapReports: mapOption(counties, 'reports', ctx),
    mapLoss: mapOption(counties, 'loss', ctx),
    hourly: hourlyOption(hours, ctx),
    banks: banksOption([bank], ctx),
    share: fraudTypesShareOption([{ code: 'ROMANCE', reports: 1, lossFen: 1 }], ctx),
    trend: fraudTypesTrendOption({ days: ['2026-05-01'], series: [{ code: 'ROMANCE', reports: [1] }] }, ctx),
  });

  it.each([zh, { ...en, scale: 1 }])(
    'sets every chart text at 20 px or more at 1920×1080 ($locale)',
    (ctx) => {
      for (const [name, option] of Object.entries(options(ctx))) {
        const sizes = fontSizes(option);
        expect(sizes.length, name).toBeGreaterThan(0);
        expect(
          sizes.filter((s) => s.size < WALL_TEXT),
          name,
        ).toEqual([]);
      }
    },
  );

  it('sets the axes and legends that ECharts would otherwise draw at 12 px', () => {
    const hourly = options(zh).hourly as {
      xAxis: { axisLabel: { fontSize: number } };
      yAxis: Array<{ axisLabel: { fontSize: number } }>;
    };
    expect(hourly.xAxis.axisLabel.fontSize).toBe(WALL_TEXT);
    for (const axis of hourly.yAxis) expect(axis.axisLabel.fontSize).toBe(WALL_TEXT);
    const map = options(zh).mapReports as { visualMap: { textStyle: { fontSize: number } } };
    expect(map.visualMap.textStyle.fontSize).toBe(WALL_TEXT);
  });
});
