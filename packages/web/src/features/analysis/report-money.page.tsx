import { useQuery } from '@tanstack/react-query';
import { Flex, Result, Spin } from 'antd';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { PageHeading } from '../../ui';
import { MoneyView } from './money-view';

/** One report's money: where its victim's payments went, layer by layer, under the chosen rule. */
export function ReportMoneyPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const report = useQuery({
    queryKey: ['/api/reports', id],
    queryFn: ({ signal }) => api.GET('/api/reports/{id}', { params: { path: { id } }, signal }),
  });
  const numbers = useMemo(
    () => new Map(report.data ? [[report.data.id, report.data.number]] : []),
    [report.data],
  );
  if (report.isPending) return <Spin />;
  if (report.isError)
    return (
      <Result
        status="warning"
        title={t('analysis.money.loadError')}
        subTitle={errorText(locale, report.error)}
      />
    );
  return (
    <>
      <PageHeading
        title={t('analysis.money.ofReport', { number: report.data.number })}
        extra={
          <Flex gap={12}>
            <Link to={`/reports/${id}`}>{t('analysis.money.openReport')}</Link>
            <Link to="/analysis">{t('analysis.cluster.back')}</Link>
          </Flex>
        }
      />
      <MoneyView target={{ kind: 'report', reportId: id }} reportNumbers={numbers} />
    </>
  );
}
