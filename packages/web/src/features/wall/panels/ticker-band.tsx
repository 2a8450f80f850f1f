import type { WallTickerItem } from '@fanzha/contracts';
import { px, type OptionContext } from '../options/option-context';
import { tickerLine } from '../wall-format';
import { WALL } from '../wall-theme';

/** Seconds the band takes to pass one line: slow enough to read from the back of the room. */
const SECONDS_PER_LINE = 7;
const SHOWN = 12;

/**
 * The latest events, masked (county, fraud type, amounts), scrolling. The band starts over when new lines
 * arrive, newest first; the lines are doubled so the loop has no seam.
 */
export function TickerBand({ items, ctx }: { items: readonly WallTickerItem[]; ctx: OptionContext }) {
  const lines = items.slice(0, SHOWN);
  const duration = Math.max(20, lines.length * SECONDS_PER_LINE);
  const kindColour: Record<WallTickerItem['kind'], string> = {
    received: WALL.accent,
    stopped: WALL.gold,
    frozen: WALL.gold,
    returned: WALL.green,
  };
  const row = (suffix: string) =>
    lines.map((item) => (
      <span
        key={`${item.id}${suffix}`}
        data-testid={suffix ? undefined : 'wall-ticker-line'}
        style={{ marginRight: px(ctx, 64) }}
      >
        <span style={{ color: kindColour[item.kind], marginRight: px(ctx, 8) }}>●</span>
        {tickerLine(item, ctx.locale)}
      </span>
    ));
  return (
    <div
      data-testid="wall-ticker"
      style={{
        overflow: 'hidden',
        whiteSpace: 'nowrap',
        background: WALL.panel,
        border: `1px solid ${WALL.border}`,
        borderRadius: px(ctx, 6),
        fontSize: px(ctx, 24),
        lineHeight: `${px(ctx, 48)}px`,
        color: WALL.text,
      }}
    >
      <style>
        {
          '@keyframes fanzha-wall-ticker { from { transform: translateX(0) } to { transform: translateX(-50%) } }'
        }
      </style>
      <div
        key={lines[0]?.id ?? 'empty'}
        style={{
          display: 'inline-block',
          paddingLeft: px(ctx, 24),
          animation: lines.length > 0 ? `fanzha-wall-ticker ${duration}s linear infinite` : undefined,
        }}
      >
        {row('')}
        {row('-again')}
      </div>
    </div>
  );
}
