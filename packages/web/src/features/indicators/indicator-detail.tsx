import type { IndicatorDecisionView, IndicatorSourceView, IndicatorView } from '@fanzha/contracts';
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Table } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, PageHeading, formatCentreTime, formatYuan } from '../../ui';
import { canRequestCountermeasure, decisionsFrom, type ConsoleDecision } from './indicator-actions';
import { CountermeasureDialog, DecisionDialog, MergeDialog } from './indicator-dialogs';
import { IndicatorStatusTag, RiskLevelTag } from './indicator-tags';
import { useIndicator, useIndicatorHistory } from './use-indicators';

type Open =
  { kind: 'decision'; action: ConsoleDecision } | { kind: 'merge' } | { kind: 'countermeasure' } | null;

/** One indicator: its score and level, the reports and bank answers that named it, every decision on it. */
export function IndicatorDetailPage() {
  const t = useT();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const { search } = useLocation();
  const detail = useIndicator(id);
  const history = useIndicatorHistory(id);
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const indicator: IndicatorView | undefined = detail.data?.indicator;

  const back = (
    <Link to={{ pathname: '..', search }} relative="path" data-testid="indicator-back">
      {t('indicators.detail.back')}
    </Link>
  );
  if (detail.isError)
    return (
      <>
        <PageHeading title={`${t('console.indicators.title')} #${id}`} extra={back} />
        <Alert
          type="error"
          showIcon
          title={t('indicators.loadError')}
          description={errorText(locale, detail.error)}
        />
      </>
    );
  if (!indicator) return <Skeleton active />;

  return (
    <div data-testid="indicator-detail" data-status={indicator.status} data-id={indicator.id}>
      <PageHeading
        title={`${t(`indicators.kind.${indicator.kind}`)} ${indicator.value}`}
        description={`#${indicator.id}`}
        extra={back}
      />
      <Flex vertical gap={12}>
        <Card
          size="small"
          extra={
            <Flex gap={8} wrap>
              {decisionsFrom(indicator.status).map((action) => (
                <Button
                  key={action}
                  size="small"
                  danger={action === 'not_fraud'}
                  onClick={() => setOpen({ kind: 'decision', action })}
                  data-testid={`indicator-action-${action}`}
                >
                  {t(`indicators.action.${action}`)}
                </Button>
              ))}
              {indicator.status !== 'merged' && (
                <Button
                  size="small"
                  onClick={() => setOpen({ kind: 'merge' })}
                  data-testid="indicator-action-merge"
                >
                  {t('indicators.action.merge')}
                </Button>
              )}
              {canRequestCountermeasure(indicator.status, indicator.kind) && (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setOpen({ kind: 'countermeasure' })}
                  data-testid="indicator-action-countermeasure"
                >
                  {t('indicators.action.countermeasure')}
                </Button>
              )}
            </Flex>
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="indicator-summary">
            <Descriptions.Item label={t('indicators.col.value')}>
              <span style={MONO_STYLE}>{indicator.value}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.col.status')}>
              <IndicatorStatusTag status={indicator.status} />
              {indicator.mergedInto !== null && (
                <Link to={`../${indicator.mergedInto}`} relative="path">
                  {t('indicators.detail.mergedInto')} #{indicator.mergedInto}
                </Link>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.col.level')}>
              <RiskLevelTag level={indicator.riskLevel} />
              <span data-testid="indicator-score">{indicator.riskScore.toFixed(1)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.col.reports')}>{indicator.reportCount}</Descriptions.Item>
            <Descriptions.Item label={t('indicators.detail.answers')}>
              {indicator.answerCount}
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.col.loss')}>
              {formatYuan(indicator.lossFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.detail.firstSeen')}>
              {formatCentreTime(indicator.firstSeenAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('indicators.col.lastSeen')}>
              {formatCentreTime(indicator.lastSeenAt)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card
          size="small"
          title={t('indicators.detail.sources', { count: detail.data?.sourceCount ?? 0 })}
          styles={{ body: { padding: 0 } }}
        >
          <Table<IndicatorSourceView>
            size="small"
            rowKey="sourceId"
            dataSource={detail.data?.sources ?? []}
            pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
            locale={{ emptyText: t('indicators.detail.sources.empty') }}
            data-testid="indicator-sources"
            columns={[
              {
                title: t('indicators.col.source'),
                key: 'kind',
                render: (_, s) => t(`indicators.source.${s.kind}`),
              },
              {
                title: t('indicators.col.report'),
                key: 'report',
                render: (_, s) => (
                  <Link to={`/reports/${s.reportId}`} style={MONO_STYLE}>
                    {s.reportNumber}
                  </Link>
                ),
              },
              {
                title: t('indicators.col.loss'),
                key: 'loss',
                align: 'right',
                render: (_, s) => formatYuan(s.lossFen),
              },
              {
                title: t('indicators.col.seenAt'),
                key: 'seen',
                render: (_, s) => formatCentreTime(s.seenAt),
              },
            ]}
          />
        </Card>
        <Card size="small" title={t('indicators.detail.history')} styles={{ body: { padding: 0 } }}>
          <Table<IndicatorDecisionView>
            size="small"
            rowKey="id"
            dataSource={history.data?.decisions ?? []}
            loading={history.isPending}
            pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
            locale={{ emptyText: t('indicators.detail.history.empty') }}
            data-testid="indicator-history"
            onRow={(d) => ({ 'data-testid': `history-${d.action}` }) as object}
            columns={[
              {
                title: t('indicators.col.seenAt'),
                key: 'at',
                render: (_, d) => formatCentreTime(d.decidedAt),
              },
              {
                title: t('indicators.col.action'),
                key: 'action',
                render: (_, d) => t(`indicators.action.${d.action}`),
              },
              {
                title: t('indicators.col.change'),
                key: 'change',
                render: (_, d) =>
                  `${t(`indicators.status.${d.fromStatus}`)} → ${t(`indicators.status.${d.toStatus}`)}${
                    d.otherIndicatorId !== null ? ` (#${d.otherIndicatorId})` : ''
                  }`,
              },
              { title: t('indicators.col.reason'), dataIndex: 'reason' },
              {
                title: t('indicators.col.by'),
                key: 'by',
                render: (_, d) => (d.operator ? `${d.decidedBy} · ${d.operator}` : d.decidedBy),
              },
            ]}
          />
        </Card>
      </Flex>
      {open?.kind === 'decision' && (
        <DecisionDialog indicator={indicator} action={open.action} onClose={close} />
      )}
      {open?.kind === 'merge' && <MergeDialog indicator={indicator} onClose={close} />}
      {open?.kind === 'countermeasure' && <CountermeasureDialog indicator={indicator} onClose={close} />}
    </div>
  );
}
