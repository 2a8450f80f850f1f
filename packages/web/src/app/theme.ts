import type { ThemeConfig } from 'antd';

// One theme for every console. A sober blue reads as "official" and keeps red free for alerts;
// CJK fonts first so Chinese renders with proper glyphs on Windows, macOS and Linux alike.
export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fbf',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: {
      headerBg: '#0c2340',
      headerHeight: 56,
      headerPadding: '0 24px',
      siderBg: '#ffffff',
      bodyBg: '#f3f5f9',
    },
  },
};
