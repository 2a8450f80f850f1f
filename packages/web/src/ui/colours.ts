/**
 * Colours of text, figures and count badges drawn outside Ant Design's components. Each is at least
 * 4.5:1 on white (WCAG AA), and white digits on `muted` are too; the theme takes the same shades.
 */
export const TEXT_COLOURS = {
  primary: '#1f5fbf',
  ok: '#237804',
  warning: '#ad4e00',
  danger: '#cf1322',
  muted: '#6b6b6b',
} as const;
