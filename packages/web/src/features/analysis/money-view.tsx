import type { AccountSharesView, AllocationRule } from '@fanzha/contracts';
import { Alert, Card, Empty, Flex, InputNumber, Radio, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import '../../charts/analysis-core';
import { EChart } from '../../charts/echart';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime, formatYuan } from '../../ui';
import { accountName, type AccountNames } from './account-label';
import { ALLOCATION_RULES, type TracedFlowView } from './analysis-types';
import { moneyFlowOption, pooledAccounts } from './money-flow';
import { useAccountShares, useMoneyTrace, type TraceTarget } from './use-analysis';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * Follow the money (资金流向): the allocation rule and depth, the Sankey of traced amounts by layer, each
 * pooled account's split between its victims, and the transfers themselves — the table is the chart's
 * accessible twin and the record an investigator copies from.
 */
export function MoneyView({
  target,
  reportNumbers,
}: {
  target: TraceTarget;
  reportNumbers: ReadonlyMap<string, string>;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [rule, setRule] = useState<AllocationRule>('fifo');
  const [depth, setDepth] = useState(5);
  const trace = useMoneyTrace(target, rule, depth);
  const names: AccountNames = useMemo(
    () => ({ locale, victim: (report) => t('analysis.money.victim', { report }), reportNumbers }),
    [locale, t, reportNumbers],
  );
  const data = trace.data;
  const option = useMemo(
    () =>
      data &&
      moneyFlowOption(data, {
        account: (key) => accountName(key, names, true),
        amount: formatYuan,
        time: (iso) => formatCentreTime(iso).slice(5),
        layer: (n) => t('analysis.money.layer', { n }),
        held: (amount) => t('analysis.money.held', { amount }),
      }),
    [data, names, t],
  );
  const pools = useMemo(() => (data ? pooledAccounts(data) : []), [data]);
  const shares = useAccountShares(
    pools.map((a) => a.key),
    rule,
  );
  const shareRows = shares.flatMap((q) =>
    q.data
      ? q.data.shares.map((s) => ({ pool: q.data, ...s, rowKey: `${q.data.account.key}|${s.source}` }))
      : [],
  );
  const accountUse = new Map(data?.accounts.map((a) => [a.key, a.accountUse]));

  return (
    <Flex vertical gap={12} data-testid="money-view" data-rule={rule}>
      <Flex gap={24} align="center" wrap>
        <Flex gap={8} align="center">
          <Typography.Text id="money-rule-label">{t('analysis.money.rule')}</Typography.Text>
          <Radio.Group
            aria-labelledby="money-rule-label"
            optionType="button"
            value={rule}
            onChange={(e) => setRule(e.target.value as AllocationRule)}
            options={ALLOCATION_RULES.map((r) => ({
              value: r,
              label: <span data-testid={`money-rule-${r}`}>{t(`analysis.money.rule.${r}`)}</span>,
            }))}
          />
        </Flex>
        <Flex gap={8} align="center">
          <label htmlFor="money-depth">{t('analysis.money.depth')}</label>
          <InputNumber
            id="money-depth"
            min={1}
            max={20}
            value={depth}
            onChange={(v) => v && setDepth(v)}
            style={{ width: 72 }}
          />
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 640 }}>
          {t('analysis.money.rule.hint')}
        </Typography.Text>
      </Flex>
      {trace.isError && (
        <Alert
          type="error"
          showIcon
          title={t('analysis.money.loadError')}
          description={errorText(locale, trace.error)}
        />
      )}
      {data?.truncated && <Alert type="warning" showIcon title={t('analysis.money.truncated')} />}
      <Card size="small" title={t('analysis.money')} loading={trace.isPending}>
        {data && data.flows.some((f) => f.tracedFen > 0) && option ? (
          <EChart
            option={option}
            renderer="svg"
            label={t('analysis.money.chart.label')}
            testId="money-sankey"
            style={{ height: Math.max(280, 60 + 44 * Math.min(data.accounts.length, 14)) }}
          />
        ) : (
          <Empty description={t('analysis.money.empty')} />
        )}
      </Card>
      <Card size="small" title={t('analysis.money.pooled')}>
        <Table
          size="small"
          rowKey="rowKey"
          pagination={false}
          dataSource={shareRows}
          loading={shares.some((q) => q.isPending)}
          locale={{ emptyText: t('analysis.money.pooled.empty') }}
          onRow={(r) =>
            ({
              'data-testid': `share-${r.pool.account.key}-${r.source}`,
              'data-held-fen': r.heldFen,
              'data-share': r.share,
            }) as object
          }
          columns={[
            {
              title: t('analysis.money.col.account'),
              key: 'account',
              render: (_, r: { pool: AccountSharesView }) => (
                <Flex vertical>
                  <span style={MONO_STYLE}>{accountName(r.pool.account.key, names)}</span>
                  {r.pool.account.accountUse && r.pool.account.accountUse !== 'personal' && (
                    <Tag color="orange">{t('analysis.money.merchant')}</Tag>
                  )}
                </Flex>
              ),
            },
            {
              title: t('analysis.money.col.held'),
              key: 'held',
              align: 'right',
              render: (_, r) => <span style={MONO_STYLE}>{formatYuan(r.pool.totalHeldFen)}</span>,
            },
            {
              title: t('analysis.money.col.source'),
              key: 'source',
              render: (_, r) => accountName(r.source, names),
            },
            {
              title: t('analysis.money.col.share'),
              key: 'share',
              align: 'right',
              render: (_, r) => <span data-testid="share-percent">{percent(r.share)}</span>,
            },
            {
              title: t('analysis.money.col.shareHeld'),
              key: 'shareHeld',
              align: 'right',
              render: (_, r) => (
                <span style={MONO_STYLE} data-testid="share-amount">
                  {formatYuan(r.heldFen)}
                </span>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('analysis.money.flows')}>
        <Table<TracedFlowView>
          size="small"
          rowKey={(f) => `${f.from}|${f.to}|${f.depth}|${f.at}|${f.transferFen}`}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={data?.flows ?? []}
          loading={trace.isPending}
          locale={{ emptyText: t('analysis.money.empty') }}
          onRow={(f) =>
            ({ 'data-testid': `flow-${f.from}-${f.to}`, 'data-traced-fen': f.tracedFen }) as object
          }
          columns={[
            {
              title: t('analysis.money.col.layer'),
              key: 'layer',
              width: 80,
              render: (_, f) => t('analysis.money.layer', { n: f.depth }),
            },
            {
              title: t('analysis.money.col.from'),
              key: 'from',
              render: (_, f) => accountName(f.from, names),
            },
            {
              title: t('analysis.money.col.to'),
              key: 'to',
              render: (_, f) => (
                <Flex gap={4} align="center">
                  {accountName(f.to, names)}
                  {accountUse.get(f.to) && accountUse.get(f.to) !== 'personal' && (
                    <Tag color="orange">{t('analysis.money.merchant')}</Tag>
                  )}
                </Flex>
              ),
            },
            {
              title: t('analysis.money.col.at'),
              key: 'at',
              render: (_, f) => <span style={MONO_STYLE}>{formatCentreTime(f.at)}</span>,
            },
            {
              title: t('analysis.money.col.transfer'),
              key: 'transfer',
              align: 'right',
              render: (_, f) => <span style={MONO_STYLE}>{formatYuan(f.transferFen)}</span>,
            },
            {
              title: t('analysis.money.col.traced'),
              key: 'traced',
              align: 'right',
              render: (_, f) => (
                <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(f.tracedFen)}</span>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
