import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { I18nProvider, useLocale, type Locale } from '../i18n';
import { createQueryClient } from '../session';
import { appTheme } from '../ui';
import { ErrorBoundary } from './error-boundary';
import { AppRoutes } from './routes';

const ANTD_LOCALES = { 'zh-CN': zhCN, 'en-US': enUS } satisfies Record<Locale, unknown>;

function LocalizedApp() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={appTheme}>
      {/* The router outside Ant Design's App: dialogs opened through its modal API render in the App's
          holder, and a link inside one needs the router's context (it crashed the intake page otherwise). */}
      <BrowserRouter>
        <AntApp>
          <ErrorBoundary>
            <AppRoutes />
          </ErrorBoundary>
        </AntApp>
      </BrowserRouter>
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
