import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { I18nProvider, useLocale, type Locale } from '../i18n';
import { createQueryClient } from '../session';
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
  // One cache for the app's lifetime: server state lives here, keyed by endpoint.
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocalizedApp />
      </I18nProvider>
    </QueryClientProvider>
  );
}
