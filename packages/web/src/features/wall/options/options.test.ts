import type { WallBank, WallCounty, WallHour } from '@fanzha/contracts';
import { listCounties } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { wallTranslator } from '../wall.messages';
import { banksOption } from './banks-option';
import { fraudTypesShareOption, fraudTypesTrendOption } from './fraud-types-option';
import { chinaHour, hourlyOption } from './hourly-option';
import { mapOption } from './map-option';
import type { OptionContext } from './option-context';

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

  it('switches to losses in 万元, and names only the counties that stand out', () => {
    const option = mapOption(counties, 'loss', zh);
    const [map] = seriesOf(option);
    expect(map?.data).toContainEqual(
      expect.objectContaining({ name: '522301', value: 99, label: { show: true } }),
    );
    expect(map?.data).toContainEqual(expect.objectContaining({ name: '520102', value: 12.3456 }));
    expect(map?.data.filter((d) => typeof d === 'object' && d.label?.show)).toHaveLength(2);
    expect((option as { visualMap: { max: number } }).visualMap.max).toBe(99);
    const formatter = map?.label?.formatter as (p: { name: string }) => string;
    expect(formatter({ name: '520102' })).toBe('南明区');
  });

  it('is click-free and scales its text with the screen', () => {
    const big = seriesOf(mapOption(counties, 'reports', en))[0] as unknown as {
      silent: boolean;
      roam: boolean;
      label: { fontSize: number };
    };
    expect(big).toMatchObject({ silent: true, roam: false });
    expect(big.label.fontSize).toBe(26);
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

  it('draws the trend of the five most frequent types', () => {
    const days = ['2026-04-30', '2026-05-01'];
    const series = ['TASK_REBATE', 'ROMANCE', 'FAKE_LOAN', 'FAKE_INVESTMENT', 'GAME_ITEM_TRADE', 'OTHER'].map(
      (code, i) => ({ code, reports: [i, i] }),
    );
    const lines = seriesOf(fraudTypesTrendOption({ days, series }, zh));
    expect(lines.map((l) => l.name)).toEqual([
      '其他类型',
      '网络游戏产品虚假交易',
      '虚假网络投资理财',
      '虚假网络贷款',
      '网络婚恋、交友',
    ]);
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
