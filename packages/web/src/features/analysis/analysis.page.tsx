import { Route, Routes } from 'react-router';
import { ClusterList } from './cluster-list';
import { ClusterPage } from './cluster.page';
import { ReportMoneyPage } from './report-money.page';

/** 研判: the clusters (串并案), one cluster's link chart, evidence, money, timeline and history, a report's money. */
export default function AnalysisPage() {
  return (
    <Routes>
      <Route index element={<ClusterList />} />
      <Route path="clusters/:id" element={<ClusterPage />} />
      <Route path="reports/:id" element={<ReportMoneyPage />} />
    </Routes>
  );
}
