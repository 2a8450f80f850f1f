import { Flex } from 'antd';
import { Suspense, lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { RequireConsole, RequireRole, RequireSession, SIGN_IN_PATH } from '../session';
import { CONSOLES, type ConsoleKey } from '../ui';
import { AppShell } from './app-shell';
import { ErrorBoundary } from './error-boundary';
import { PageLoading } from './page-loading';

type Page = LazyExoticComponent<ComponentType>;

// One chunk per page, so a console's code loads only when someone opens it.
const HomePage = lazy(() => import('../features/home/home.page'));
const NotFoundPage = lazy(() => import('../features/not-found/not-found.page'));
const SignInPage = lazy(() => import('../features/sign-in/sign-in.page'));
const WallPage = lazy(() => import('../features/wall/wall.page'));
const ReportPage = lazy(() => import('../features/reports/report.page'));
// Public: a citizen checks a verification code, without an account.
const VerifyPage = lazy(() => import('../features/verify/verify.page'));
// Public: anyone checks a phone number, website or account for fraud reports, without an account.
const LookupPage = lazy(() => import('../features/lookup/lookup.page'));
// Public: anyone listed or restricted files an appeal (申诉) and checks its status, without an account.
const AppealPage = lazy(() => import('../features/appeals/appeal.page'));

// Consoles not built yet have no page and no route (see PLANNED_CONSOLES).
const CONSOLE_PAGES: Partial<Record<Exclude<ConsoleKey, 'wall'>, Page>> = {
  intake: lazy(() => import('../features/intake/intake.page')),
  'stop-payment': lazy(() => import('../features/stop-payment/stop-payment.page')),
  bank: lazy(() => import('../features/bank/bank.page')),
  operator: lazy(() => import('../features/operator/operator.page')),
  county: lazy(() => import('../features/county/county.page')),
  warnings: lazy(() => import('../features/warnings/warnings.page')),
  tasks: lazy(() => import('../features/supervision/supervision.page')),
  callbacks: lazy(() => import('../features/callbacks/callbacks.page')),
  admin: lazy(() => import('../features/admin/admin.page')),
  audit: lazy(() => import('../features/audit/audit.page')),
  publicity: lazy(() => import('../features/publicity/publicity.page')),
  analysis: lazy(() => import('../features/analysis/analysis.page')),
  'two-cards': lazy(() => import('../features/two-cards/two-cards.page')),
  indicators: lazy(() => import('../features/indicators/indicators.page')),
  countermeasures: lazy(() => import('../features/countermeasures/countermeasures.page')),
};

// The roles the server lets read a report (with the personal data masked as each may see it).
const REPORT_READERS = [
  'call_taker',
  'stop_payment_officer',
  'supervisor',
  'analyst',
  'county_police',
] as const;

const standalone = (page: ReactNode) => (
  <ErrorBoundary>
    <Suspense fallback={<PageLoading />}>{page}</Suspense>
  </ErrorBoundary>
);

/** The wall has no shell, so a 403 there gets a plain full-height frame of its own. */
const wallForbidden = (page: ReactNode) => (
  <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
    {page}
  </Flex>
);

export function AppRoutes() {
  return (
    <Routes>
      <Route path={SIGN_IN_PATH} element={standalone(<SignInPage />)} />
      {/* Public: a citizen checks a code from the centre's SMS or call, without signing in. */}
      <Route path="/verify" element={standalone(<VerifyPage />)} />
      <Route path="/lookup" element={standalone(<LookupPage />)} />
      <Route path="/appeal" element={standalone(<AppealPage />)} />
      <Route
        path="/wall/*"
        element={
          <RequireSession>
            <RequireConsole console="wall" forbidden={wallForbidden}>
              {standalone(<WallPage />)}
            </RequireConsole>
          </RequireSession>
        }
      />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<HomePage />} />
        {CONSOLES.flatMap(({ key, path }) => {
          if (key === 'wall') return [];
          const Page = CONSOLE_PAGES[key];
          if (!Page) return [];
          return [
            <Route
              key={key}
              path={`${path}/*`}
              element={
                <RequireConsole console={key}>
                  <Page />
                </RequireConsole>
              }
            />,
          ];
        })}
        <Route
          path="/reports/:id"
          element={
            <RequireRole roles={REPORT_READERS}>
              <ReportPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
