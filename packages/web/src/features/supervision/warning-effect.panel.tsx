import type { WarningEffectiveness } from '@fanzha/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Segmented, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, TEXT_COLOURS } from '../../ui';
import {
  defraudedText,
  formatLatency,
  formatShare,
  latencyTone,
  periodStart,
  type EffectPeriod,
} from './warning-effect';

type ChannelRow = WarningEffectiveness['byChannel'][number];
type SourceRow = WarningEffectiveness['bySource'][number];

const REFRESH_MS = 60_000;
const TONE = { good: TEXT_COLOURS.ok, warn: TEXT_COLOURS.warning, bad: TEXT_COLOURS.danger } as const;

/** 预警成效: today's or this month's warnings, contacts, first call, persuaded and defrauded after a warning. */
export function WarningEffectPanel() {
  const t = useT();
  const { locale } = useLocale();
  const [period, setPeriod] = useState<EffectPeriod>('today');
  const query = useQuery({
    queryKey: ['warnings', 'effectiveness', period],
    queryFn: ({ signal }) =>
      api.GET('/api/warnings/effectiveness', {
        params: { query: { from: periodStart(period, new Date()).toISOString() } },
        signal,
      }),
    refetchInterval: REFRESH_MS,
  });
  const f = query.data;
  const channel = (c: string) => t(`warnings.channel.${c}` as 'warnings.channel.sms');
  const figures = <T extends ChannelRow | SourceRow>(): TableColumnsType<T> => [
    { title: t('effect.col.closed'), key: 'closed', align: 'right', render: (_, r) => r.closed },
    { title: t('effect.col.defrauded7'), key: 'd7', align: 'right', render: (_, r) => defraudedText(r, 7) },
    {
      title: t('effect.col.defrauded30'),
      key: 'd30',
      align: 'right',
      render: (_, r) => defraudedText(r, 30),
    },
  ];
  const channelColumns: TableColumnsType<ChannelRow> = [
    { title: t('effect.col.channel'), key: 'channel', render: (_, r) => channel(r.channel) },
    ...figures<ChannelRow>(),
  ];
  const sourceColumns: TableColumnsType<SourceRow> = [
    {
      title: t('effect.col.source'),
      key: 'source',
      render: (_, r) => <span style={MONO_STYLE}>{r.source}</span>,
    },
    ...figures<SourceRow>(),
    {
      title: t('effect.col.precision'),
      key: 'precision',
      align: 'right',
      render: (_, r) => formatShare(r.precision),
    },
  ];
  const tone = f ? latencyTone(f.opened.firstContact) : null;

  return (
    <Card
      size="small"
      title={t('effect.title')}
      extra={
        <Segmented<EffectPeriod>
          size="small"
          value={period}
          onChange={setPeriod}
          options={[
            { value: 'today', label: t('effect.period.today') },
            { value: 'month', label: t('effect.period.month') },
          ]}
        />
      }
      style={{ marginBottom: 12 }}
      data-testid="warning-effect"
    >
      {query.error && (
        <Alert
          type="error"
          showIcon
          title={t('effect.loadError')}
          description={errorText(locale, query.error)}
        />
      )}
      {f && (
        <Flex vertical gap={12}>
          <Flex gap={32} wrap>
            <Statistic title={t('effect.episodes')} value={f.opened.episodes} />
            <Statistic title={t('effect.warnings')} value={f.opened.warnings} />
            <Statistic title={t('effect.visits')} value={f.opened.visits} />
            <Statistic title={t('effect.holds')} value={f.opened.holds} />
            <Statistic
              title={t('effect.firstContact')}
              value={`${formatLatency(f.opened.firstContact.medianS)} / ${formatLatency(f.opened.firstContact.p90S)}`}
              styles={{ content: { color: tone ? TONE[tone] : undefined } }}
            />
            <Statistic title={t('effect.persuaded')} value={formatShare(f.closed.persuadedShare)} />
            <Statistic title={t('effect.defrauded7')} value={defraudedText(f.closed, 7)} />
            <Statistic title={t('effect.defrauded30')} value={defraudedText(f.closed, 30)} />
          </Flex>
          <Typography.Text type="secondary">
            {t('effect.firstContact.within', {
              n: f.opened.firstContact.withinTarget,
              of: f.opened.firstContact.reached,
              m: f.opened.firstContact.targetS / 60,
            })}
            {' · '}
            {t('effect.contacts')}：
            {f.opened.contacts.map((c) => `${channel(c.channel)} ${c.count}`).join(' · ')}
          </Typography.Text>
          <Flex gap={12} wrap>
            <Table
              size="small"
              style={{ flex: '1 1 360px' }}
              title={() => t('effect.byChannel')}
              rowKey="channel"
              dataSource={f.byChannel}
              columns={channelColumns}
              pagination={false}
              locale={{ emptyText: t('effect.empty') }}
              data-testid="warning-effect-channels"
            />
            <Table
              size="small"
              style={{ flex: '1 1 420px' }}
              title={() => t('effect.bySource')}
              rowKey="source"
              dataSource={f.bySource}
              columns={sourceColumns}
              pagination={false}
              locale={{ emptyText: t('effect.empty') }}
              data-testid="warning-effect-sources"
            />
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('effect.note')}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}
