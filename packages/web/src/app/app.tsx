import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { BrowserRouter } from 'react-router';
import { I18nProvider, useLocale, type Locale } from '../i18n';
import { AppRoutes } from './routes';
import { appTheme } from './theme';

const ANTD_LOCALES = { 'zh-CN': zhCN, 'en-US': enUS } satisfies Record<Locale, unknown>;

function LocalizedApp() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={appTheme}>
      <AntApp>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <LocalizedApp />
    </I18nProvider>
  );
}
