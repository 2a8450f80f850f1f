import type { IndicatorView } from '@fanzha/contracts';
import {
  indicatorKinds,
  indicatorRiskLevels,
  indicatorStatuses,
  type IndicatorKind,
  type IndicatorRiskLevel,
  type IndicatorStatus,
} from '@fanzha/domain';
import { Alert, Button, Card, Flex, Input, Select, Table } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, PageHeading, formatCentreTime, formatYuan } from '../../ui';
import { IndicatorStatusTag, RiskLevelTag } from './indicator-tags';
import { useIndicatorSearch } from './use-indicators';

const ALL = 'all';
const pick = <T extends string>(value: string | null, among: readonly T[]): T | undefined =>
  among.find((v) => v === value);

/** The registry: search by kind and value (or a prefix), status and risk level, newest first, page by page. */
export function IndicatorList() {
  const t = useT();
  const { locale } = useLocale();
  // The filters live in the address, so the list comes back as it was after an indicator's detail.
  const [params, setParams] = useSearchParams();
  const kind = pick(params.get('kind'), indicatorKinds);
  const status = pick(params.get('status'), indicatorStatuses);
  const level = pick(params.get('level'), indicatorRiskLevels);
  const q = params.get('q') ?? '';
  const search = useIndicatorSearch({ kind, status, level, q: q || undefined });
  const set = (name: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const rows = useMemo(() => search.data?.pages.flatMap((p) => p.indicators) ?? [], [search.data]);

  return (
    <>
      <PageHeading title={t('console.indicators.title')} description={t('console.indicators.purpose')} />
      {search.isError && (
        <Alert
          type="error"
          showIcon
          title={t('indicators.loadError')}
          description={errorText(locale, search.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card
        size="small"
        title={t('indicators.list')}
        extra={
          <Flex gap={8} align="center" wrap>
            <Select<IndicatorKind | typeof ALL>
              aria-label={t('indicators.search.kind')}
              value={kind ?? ALL}
              onChange={(v) => set('kind', v === ALL ? undefined : v)}
              style={{ width: 110 }}
              data-testid="indicator-filter-kind"
              options={[
                { value: ALL, label: t('indicators.all') },
                ...indicatorKinds.map((k) => ({ value: k, label: t(`indicators.kind.${k}`) })),
              ]}
            />
            <Select<IndicatorStatus | typeof ALL>
              aria-label={t('indicators.search.status')}
              value={status ?? ALL}
              onChange={(v) => set('status', v === ALL ? undefined : v)}
              style={{ width: 110 }}
              data-testid="indicator-filter-status"
              options={[
                { value: ALL, label: t('indicators.all') },
                ...indicatorStatuses.map((s) => ({ value: s, label: t(`indicators.status.${s}`) })),
              ]}
            />
            <Select<IndicatorRiskLevel | typeof ALL>
              aria-label={t('indicators.search.level')}
              value={level ?? ALL}
              onChange={(v) => set('level', v === ALL ? undefined : v)}
              style={{ width: 90 }}
              options={[
                { value: ALL, label: t('indicators.all') },
                ...indicatorRiskLevels.map((l) => ({ value: l, label: t(`indicators.level.${l}`) })),
              ]}
            />
            <Input.Search
              aria-label={t('indicators.search.q')}
              placeholder={kind ? t('indicators.search.q') : t('indicators.search.needKind')}
              disabled={!kind}
              defaultValue={q}
              key={q}
              allowClear
              enterButton={t('indicators.search.submit')}
              onSearch={(v) => set('q', v.trim() || undefined)}
              style={{ width: 300 }}
              data-testid="indicator-search"
            />
          </Flex>
        }
      >
        <Table<IndicatorView>
          size="small"
          rowKey="id"
          dataSource={rows}
          loading={search.isPending}
          pagination={false}
          locale={{ emptyText: t('indicators.empty') }}
          data-testid="indicator-list"
          onRow={(i) =>
            ({
              'data-testid': `indicator-row-${i.id}`,
              'data-status': i.status,
              'data-value': i.value,
            }) as object
          }
          columns={[
            {
              title: t('indicators.col.id'),
              key: 'id',
              width: 80,
              render: (_, i) => (
                // The detail keeps the search, so its way back returns to this list as it was.
                <Link
                  to={{ pathname: String(i.id), search: params.toString() }}
                  data-testid={`indicator-open-${i.id}`}
                >
                  {i.id}
                </Link>
              ),
            },
            {
              title: t('indicators.col.kind'),
              key: 'kind',
              render: (_, i) => t(`indicators.kind.${i.kind}`),
            },
            {
              title: t('indicators.col.value'),
              key: 'value',
              render: (_, i) => <span style={MONO_STYLE}>{i.value}</span>,
            },
            {
              title: t('indicators.col.status'),
              key: 'status',
              render: (_, i) => <IndicatorStatusTag status={i.status} />,
            },
            {
              title: t('indicators.col.level'),
              key: 'level',
              render: (_, i) => <RiskLevelTag level={i.riskLevel} />,
            },
            {
              title: t('indicators.col.score'),
              key: 'score',
              align: 'right',
              render: (_, i) => i.riskScore.toFixed(1),
            },
            { title: t('indicators.col.reports'), dataIndex: 'reportCount', align: 'right' },
            {
              title: t('indicators.col.loss'),
              key: 'loss',
              align: 'right',
              render: (_, i) => formatYuan(i.lossFen),
            },
            {
              title: t('indicators.col.lastSeen'),
              key: 'lastSeen',
              render: (_, i) => <span style={MONO_STYLE}>{formatCentreTime(i.lastSeenAt)}</span>,
            },
          ]}
        />
        {search.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button
              onClick={() => void search.fetchNextPage()}
              loading={search.isFetchingNextPage}
              data-testid="indicator-more"
            >
              {t('indicators.more')}
            </Button>
          </Flex>
        )}
      </Card>
    </>
  );
}
