import { theme, type ThemeConfig } from 'antd';
import { TEXT_COLOURS } from './colours';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif";

// Colour tags write in shade 7 of their palette on shade 1, which is too light in these seven. Each shade
// has two token names that become one CSS variable, so both are set.
const TAG_TEXT_SHADES = Object.fromEntries(
  Object.entries({
    volcano: '#ad2102',
    orange: '#ad4e00',
    gold: '#874d00',
    yellow: '#614700',
    lime: '#3f6600',
    green: '#237804',
    cyan: '#006d75',
  }).flatMap(([colour, shade]) => [
    [`${colour}7`, shade],
    [`${colour}-7`, shade],
  ]),
);

/**
 * One theme for every console. A sober blue reads as "official" and keeps red free for alerts; CJK fonts
 * first so Chinese renders with proper glyphs on Windows, macOS and Linux alike.
 *
 * Contrast: Ant Design's grey text is 45 % black (3.4:1 on white), its placeholders and empty tables 25 %
 * (1.8:1), and several tag colours 3.3–4.4:1 on their tints — under WCAG AA's 4.5:1, which text read all
 * shift long needs. Every such colour is set here, once, to the nearest shade that passes.
 */
export const appTheme: ThemeConfig = {
  // The light popovers inside the dark header take this whole, not merged with the dark theme.
  inherit: false,
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: TEXT_COLOURS.primary,
    colorInfo: TEXT_COLOURS.primary,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    // Status colours are text too (status tags, results): the darker shade on the usual light tint.
    colorSuccess: TEXT_COLOURS.ok,
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarning: TEXT_COLOURS.warning,
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorError: TEXT_COLOURS.danger,
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    ...TAG_TEXT_SHADES,
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
  },
  components: {
    Layout: {
      headerBg: '#0c2340',
      headerHeight: 56,
      headerPadding: '0 24px',
      siderBg: '#ffffff',
      bodyBg: '#f3f5f9',
    },
    // An empty table's message is drawn in the disabled grey; it is a message to read.
    Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.58)' },
  },
};

/**
 * The dark parts — the header, the sign-in backdrop, the wall — from the dark algorithm, with the greys
 * and blues restated for a dark ground: the light theme's blue is 3:1 on the header's navy, these 5:1
 * and more.
 */
export const darkTheme: ThemeConfig = {
  inherit: false,
  algorithm: theme.darkAlgorithm,
  token: {
    colorPrimary: '#4d8fe8',
    colorInfo: '#4d8fe8',
    colorLink: '#69b1ff',
    colorTextSecondary: 'rgba(255, 255, 255, 0.72)',
    colorTextTertiary: 'rgba(255, 255, 255, 0.68)',
    colorTextDescription: 'rgba(255, 255, 255, 0.68)',
    colorTextPlaceholder: 'rgba(255, 255, 255, 0.6)',
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
  },
};
