import { Suspense, lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Route, Routes } from 'react-router';
import { CONSOLES, type ConsoleKey } from '../ui';
import { AppShell } from './app-shell';
import { PageLoading } from './page-loading';

type Page = LazyExoticComponent<ComponentType>;

// One chunk per page, so a console's code loads only when someone opens it.
const HomePage = lazy(() => import('../features/home/home.page'));
const NotFoundPage = lazy(() => import('../features/not-found/not-found.page'));
const WallPage = lazy(() => import('../features/wall/wall.page'));

const CONSOLE_PAGES: Record<Exclude<ConsoleKey, 'wall'>, Page> = {
  intake: lazy(() => import('../features/intake/intake.page')),
  'stop-payment': lazy(() => import('../features/stop-payment/stop-payment.page')),
  bank: lazy(() => import('../features/bank/bank.page')),
  operator: lazy(() => import('../features/operator/operator.page')),
  county: lazy(() => import('../features/county/county.page')),
  warnings: lazy(() => import('../features/warnings/warnings.page')),
  countermeasures: lazy(() => import('../features/countermeasures/countermeasures.page')),
  'two-cards': lazy(() => import('../features/two-cards/two-cards.page')),
  analysis: lazy(() => import('../features/analysis/analysis.page')),
  tasks: lazy(() => import('../features/tasks/tasks.page')),
  admin: lazy(() => import('../features/admin/admin.page')),
};

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/wall/*"
        element={
          <Suspense fallback={<PageLoading />}>
            <WallPage />
          </Suspense>
        }
      />
      <Route element={<AppShell />}>
        <Route index element={<HomePage />} />
        {CONSOLES.flatMap(({ key, path }) => {
          if (key === 'wall') return [];
          const Page = CONSOLE_PAGES[key];
          return [<Route key={key} path={`${path}/*`} element={<Page />} />];
        })}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
