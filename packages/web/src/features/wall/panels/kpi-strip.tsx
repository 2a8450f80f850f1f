import type { WallSummary, WarningEffectiveness } from '@fanzha/contracts';
import { formatLatency, formatShare } from '../../supervision/warning-effect';
import type { OptionContext } from '../options/option-context';
import { px, WALL_TEXT } from '../options/option-context';
import { ellipsis } from './panel';
import { compactYuan, formatCount, shownText, type Shown } from '../wall-format';
import type { WallT } from '../wall.messages';
import { WALL } from '../wall-theme';

type Figure = keyof WallSummary['today'];
type Capability = keyof WallSummary['capabilities'];

interface Kpi {
  figure: Figure;
  label: Parameters<WallT>[0];
  kind: 'count' | 'money';
  unit?: Parameters<WallT>[0];
  color: string;
  /** The capability behind the figure; without it the figure is zero and says so. */
  needs?: Capability;
}

const KPIS: Kpi[] = [
  { figure: 'reports', label: 'kpi.reports', kind: 'count', unit: 'unit.reports', color: WALL.accent },
  { figure: 'lossFen', label: 'kpi.loss', kind: 'money', color: WALL.red },
  {
    figure: 'stoppedAccounts',
    label: 'kpi.stoppedAccounts',
    kind: 'count',
    unit: 'unit.accounts',
    color: WALL.accent,
  },
  { figure: 'stoppedFen', label: 'kpi.stoppedFen', kind: 'money', color: WALL.gold },
  { figure: 'frozenFen', label: 'kpi.frozenFen', kind: 'money', color: WALL.gold, needs: 'freezes' },
  { figure: 'returnedFen', label: 'kpi.returnedFen', kind: 'money', color: WALL.green, needs: 'freezes' },
  {
    figure: 'warnings',
    label: 'kpi.warnings',
    kind: 'count',
    unit: 'unit.people',
    color: WALL.accent,
    needs: 'warnings',
  },
  {
    figure: 'persuasions',
    label: 'kpi.persuasions',
    kind: 'count',
    unit: 'unit.people',
    color: WALL.green,
    needs: 'warnings',
  },
  {
    figure: 'blockedNumbers',
    label: 'kpi.blockedNumbers',
    kind: 'count',
    unit: 'unit.numbers',
    color: WALL.accent,
    needs: 'blockedNumbers',
  },
];

/**
 * What the month's follow-up adds under the 预警 and 劝阻 tiles, short (the first call's median, the share
 * defrauded within 30 days) and in full for the tooltip.
 */
function effectNote(
  figure: Figure,
  effect: WarningEffectiveness | undefined,
  t: WallT,
): { short: string; full: string } | null {
  if (!effect) return null;
  const first = effect.opened.firstContact;
  const params = {
    median: formatLatency(first.medianS),
    p90: formatLatency(first.p90S),
    persuaded: formatShare(effect.closed.persuadedShare),
    defrauded: formatShare(effect.closed.defrauded30Share),
  };
  if (figure === 'warnings')
    return { short: t('kpi.firstContact', params), full: t('kpi.firstContact.full', params) };
  if (figure === 'persuasions') return { short: t('kpi.effect', params), full: t('kpi.effect.full', params) };
  return null;
}

/** Today's headline figures, big, with this month's below: stopped, frozen and returned apart. */
export function KpiStrip({
  summary,
  effect,
  ctx,
}: {
  summary: WallSummary | undefined;
  effect?: WarningEffectiveness | undefined;
  ctx: OptionContext;
}) {
  const { t } = ctx;
  const shown = (kpi: Kpi, value: number): Shown =>
    kpi.kind === 'money'
      ? compactYuan(value, ctx.locale)
      : { value: formatCount(value), unit: kpi.unit ? t(kpi.unit) : '' };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: `repeat(${KPIS.length}, 1fr)`, gap: px(ctx, 10) }}>
      {KPIS.map((kpi) => {
        const today = summary?.today[kpi.figure] ?? 0;
        const month = summary?.month[kpi.figure] ?? 0;
        const isConnected = !kpi.needs || (summary?.capabilities[kpi.needs] ?? true);
        const value = shown(kpi, today);
        const note = effectNote(kpi.figure, effect, t);
        return (
          <div
            key={kpi.figure}
            data-testid={`wall-kpi-${kpi.figure}`}
            data-today={today}
            data-month={month}
            style={{
              background: WALL.panel,
              border: `1px solid ${WALL.border}`,
              borderRadius: px(ctx, 6),
              padding: `${px(ctx, 8)}px ${px(ctx, 10)}px`,
              minWidth: 0,
              opacity: isConnected ? 1 : 0.55,
            }}
          >
            <div style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, ...ellipsis }}>
              {t('kpi.today', { label: t(kpi.label) })}
            </div>
            <div
              style={{
                color: kpi.color,
                fontVariantNumeric: 'tabular-nums',
                lineHeight: 1.15,
                marginTop: px(ctx, 2),
                ...ellipsis,
              }}
            >
              <span style={{ fontSize: px(ctx, 36), fontWeight: 700 }}>{value.value}</span>
              <span style={{ fontSize: px(ctx, WALL_TEXT), marginLeft: px(ctx, 4) }}>{value.unit}</span>
            </div>
            <div
              style={{
                fontSize: px(ctx, WALL_TEXT),
                color: WALL.muted,
                marginTop: px(ctx, 2),
                ...ellipsis,
              }}
            >
              {isConnected ? t('monthValue', { value: shownText(shown(kpi, month)) }) : t('notConnected')}
            </div>
            {note && (
              <div
                data-testid={`wall-kpi-${kpi.figure}-effect`}
                title={note.full}
                style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, ...ellipsis }}
              >
                {note.short}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
