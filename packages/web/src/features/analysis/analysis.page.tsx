import { Route, Routes } from 'react-router';
import { ClusterList } from './cluster-list';
import { ClusterPage } from './cluster.page';
import { ReportMoneyPage } from './report-money.page';
import AppealsPage from '../appeals/appeals.page';

/** 研判: the clusters (串并案), one cluster's link chart, evidence, money, timeline and history, a report's money. */
export default function AnalysisPage() {
  return (
    <Routes>
      <Route index element={<ClusterList />} />
      <Route path="clusters/:id" element={<ClusterPage />} />
      <Route path="reports/:id" element={<ReportMoneyPage />} />
      {/* 申诉复核: reviewed by analysts and supervisors, decided by a supervisor. */}
      <Route path="appeals" element={<AppealsPage />} />
    </Routes>
  );
}
