import type { CSSProperties, ReactNode } from 'react';
import { px, WALL_TEXT, type OptionContext } from '../options/option-context';
import { WALL } from '../wall-theme';

/** One line, cut with an ellipsis where it does not fit. */
export const ellipsis = {
  minWidth: 0,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
} as const;

/** A framed block of the wall with its title; the body fills the rest. */
export function Panel(props: {
  ctx: OptionContext;
  title: string;
  extra?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  testId?: string;
}) {
  const { ctx } = props;
  return (
    <section
      data-testid={props.testId}
      style={{
        display: 'flex',
        flexDirection: 'column',
        minHeight: 0,
        background: WALL.panel,
        border: `1px solid ${WALL.border}`,
        borderRadius: px(ctx, 6),
        padding: `${px(ctx, 10)}px ${px(ctx, 14)}px`,
        boxShadow: `inset 0 0 ${px(ctx, 24)}px rgba(56, 214, 255, 0.06)`,
        ...props.style,
      }}
    >
      <header
        style={{
          display: 'flex',
          alignItems: 'baseline',
          minWidth: 0,
          justifyContent: 'space-between',
          gap: px(ctx, 8),
          marginBottom: px(ctx, 6),
          borderLeft: `${px(ctx, 3)}px solid ${WALL.accent}`,
          paddingLeft: px(ctx, 8),
        }}
      >
        <h2
          style={{
            margin: 0,
            fontSize: px(ctx, 23),
            fontWeight: 600,
            color: WALL.text,
            letterSpacing: 1,
            ...ellipsis,
          }}
        >
          {props.title}
        </h2>
        {props.extra && (
          <span style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, flexShrink: 0 }}>
            {props.extra}
          </span>
        )}
      </header>
      {/* Nothing drawn in a panel may spill over the next one (or the ticker). */}
      <div style={{ flex: 1, minHeight: 0, position: 'relative', overflow: 'hidden' }}>{props.children}</div>
    </section>
  );
}
