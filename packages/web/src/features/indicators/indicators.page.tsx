import { Route, Routes } from 'react-router';
import { IndicatorDetailPage } from './indicator-detail';
import { IndicatorList } from './indicator-list';

/** 涉诈线索库: the registry searched, one indicator's provenance and history, the analyst's decisions on it. */
export default function IndicatorsPage() {
  return (
    <Routes>
      <Route index element={<IndicatorList />} />
      <Route path=":id" element={<IndicatorDetailPage />} />
    </Routes>
  );
}
