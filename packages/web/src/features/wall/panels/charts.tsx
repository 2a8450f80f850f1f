import type { WallSummary } from '@fanzha/contracts';
import { useEffect, useMemo, useState } from 'react';
import { EChart } from '../charts/echart';
import { banksOption } from '../options/banks-option';
import { fraudTypesShareOption, fraudTypesTrendOption } from '../options/fraud-types-option';
import { hourlyOption } from '../options/hourly-option';
import { divisionName } from '@fanzha/domain';
import { LEGEND_PX, mapLeaders, mapOption, type MapMode } from '../options/map-option';
import { px, WALL_TEXT, type OptionContext } from '../options/option-context';
import { WALL } from '../wall-theme';
import { ellipsis, Panel } from './panel';

/** The map changes its shading by itself: a wall is not clicked. */
const MAP_SWITCH_MS = 15_000;

export function MapPanel({ summary, ctx }: { summary: WallSummary | undefined; ctx: OptionContext }) {
  const [mode, setMode] = useState<MapMode>('reports');
  useEffect(() => {
    const id = setInterval(() => setMode((m) => (m === 'reports' ? 'loss' : 'reports')), MAP_SWITCH_MS);
    return () => clearInterval(id);
  }, []);
  const counties = summary?.counties;
  const option = useMemo(() => mapOption(counties ?? [], mode, ctx), [counties, mode, ctx]);
  const leaders = useMemo(() => mapLeaders(counties ?? [], mode), [counties, mode]);
  return (
    <Panel ctx={ctx} title={ctx.t(mode === 'reports' ? 'map.reports' : 'map.loss')} testId="wall-map">
      <div data-testid="wall-map-mode" data-value={mode} style={{ position: 'absolute', inset: 0 }}>
        <EChart option={option} />
      </div>
      {/* The leading counties are named here, not on the map, where the city districts would overlap. */}
      <ol
        style={{
          position: 'absolute',
          top: 0,
          left: 0,
          width: px(ctx, LEGEND_PX),
          margin: 0,
          padding: 0,
          listStyle: 'none',
          fontSize: px(ctx, WALL_TEXT),
          lineHeight: `${px(ctx, 30)}px`,
        }}
      >
        {leaders.map((c, i) => (
          <li
            key={c.code}
            data-testid="wall-map-leader"
            style={{ display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr) auto', gap: px(ctx, 8) }}
          >
            <span style={{ color: WALL.muted }}>{i + 1}</span>
            <span style={{ ...ellipsis, color: WALL.text }}>{divisionName(c.code) ?? c.code}</span>
            <span style={{ color: WALL.gold, fontVariantNumeric: 'tabular-nums' }}>
              {mode === 'reports' ? c.value : Math.round(c.value * 10) / 10}
            </span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

export function HourlyPanel({ summary, ctx }: { summary: WallSummary | undefined; ctx: OptionContext }) {
  const hourly = summary?.hourly;
  const option = useMemo(() => hourlyOption(hourly ?? [], ctx), [hourly, ctx]);
  return (
    <Panel ctx={ctx} title={ctx.t('hourly.title')} testId="wall-hourly">
      <EChart option={option} style={{ position: 'absolute', inset: 0 }} />
    </Panel>
  );
}

export function FraudTypesPanels({ summary, ctx }: { summary: WallSummary | undefined; ctx: OptionContext }) {
  const month = summary?.fraudTypes.month;
  const trend = summary?.fraudTypes.trend;
  const share = useMemo(() => fraudTypesShareOption(month ?? [], ctx), [month, ctx]);
  const lines = useMemo(() => fraudTypesTrendOption(trend ?? { days: [], series: [] }, ctx), [trend, ctx]);
  return (
    <>
      <Panel ctx={ctx} title={ctx.t('types.title')} testId="wall-types">
        <EChart option={share} style={{ position: 'absolute', inset: 0 }} />
      </Panel>
      <Panel ctx={ctx} title={ctx.t('types.trend')} testId="wall-types-trend">
        <EChart option={lines} style={{ position: 'absolute', inset: 0 }} />
      </Panel>
    </>
  );
}

export function BanksPanel({ summary, ctx }: { summary: WallSummary | undefined; ctx: OptionContext }) {
  const banks = summary?.banks;
  const option = useMemo(() => banksOption(banks ?? [], ctx), [banks, ctx]);
  return (
    <Panel ctx={ctx} title={ctx.t('banks.title')} testId="wall-banks">
      <EChart option={option} style={{ position: 'absolute', inset: 0 }} />
    </Panel>
  );
}
