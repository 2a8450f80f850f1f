import type { PublicityBriefLine } from '@fanzha/contracts';
import { campaignChannels, fraudTypes, type CampaignChannel } from '@fanzha/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Input, Modal, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { PageHeading, formatYuan } from '../../ui';
import { EChart } from '../wall/charts/echart';
import { CAMPAIGNS_KEY, CampaignsPanel } from './campaigns.panel';
import { briefChartOption, campaignKey, changeText } from './publicity';

const DAY = 86_400_000;
const chinaDate = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

/** 精准宣传: the week's brief (rising groups with their figures), campaigns planned from its lines. */
export default function PublicityPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [line, setLine] = useState<PublicityBriefLine | null>(null);
  const [channel, setChannel] = useState<CampaignChannel>('community-talk');
  const [plannedOn, setPlannedOn] = useState(() => chinaDate(Date.now() + 2 * DAY));
  const brief = useQuery({
    queryKey: ['/api/publicity/brief'],
    queryFn: ({ signal }) => api.GET('/api/publicity/brief', { params: { query: {} }, signal }),
    refetchInterval: 60_000,
  });
  const typeName = (code: string) => {
    const f = fraudTypes.find((x) => x.code === code);
    return f ? (locale === 'en-US' ? f.nameEn : f.nameZh) : code;
  };
  const ageName = (band: string) => t(`publicity.age.${band}` as 'publicity.age.18-25');
  const label = (l: PublicityBriefLine) =>
    `${l.countyName ?? l.countyCode} ${typeName(l.fraudType)} ${ageName(l.ageBand)}`;
  const lines = brief.data?.lines;
  const option = useMemo(
    () =>
      briefChartOption(lines ?? [], label, {
        reports: t('publicity.col.reports'),
        baseline: t('publicity.col.baseline'),
      }),
    [lines, locale],
  );
  const create = useMutation({
    mutationFn: (l: PublicityBriefLine) =>
      api.POST('/api/publicity/campaigns', {
        body: {
          key: campaignKey(brief.data!.week, l),
          countyCode: l.countyCode,
          fraudType: l.fraudType as (typeof fraudTypes)[number]['code'],
          ageBand: l.ageBand,
          channel,
          plannedOn,
          dueAt: new Date(Date.parse(`${plannedOn}T23:59:59+08:00`) + 2 * DAY).toISOString(),
          briefWeek: brief.data!.week,
        },
      }),
    onSuccess: () => {
      void message.success(t('publicity.create.ok'));
      setLine(null);
      void client.invalidateQueries({ queryKey: [CAMPAIGNS_KEY] });
    },
    onError: (e) => void message.error(errorText(locale, e)),
  });
  const rule = brief.data?.rule;
  return (
    <Flex vertical gap={16}>
      <PageHeading title={t('console.publicity.title')} description={t('console.publicity.purpose')} />
      {brief.isError && <Alert type="error" showIcon message={t('publicity.loadError')} />}
      <Card
        size="small"
        title={`${t('publicity.brief')} · ${t('publicity.brief.week')} ${brief.data?.week ?? ''}`}
        data-testid="publicity-brief"
      >
        {rule && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('publicity.brief.rule', {
              min: rule.minReports,
              excess: rule.minExcess,
              ratio: rule.minRatio,
            })}
          </Typography.Paragraph>
        )}
        {lines && lines.length > 0 && (
          <EChart
            option={option}
            style={{ height: Math.max(160, 40 + lines.slice(0, 10).length * 36) }}
            testId="brief-chart"
          />
        )}
        <Table<PublicityBriefLine>
          size="small"
          rowKey={(l) => `${l.countyCode}|${l.fraudType}|${l.ageBand}`}
          loading={brief.isLoading}
          dataSource={lines ?? []}
          pagination={false}
          locale={{ emptyText: t('publicity.brief.empty') }}
          onRow={(l) =>
            ({ 'data-testid': `brief-line-${l.countyCode}-${l.fraudType}-${l.ageBand}` }) as object
          }
          columns={[
            { title: t('publicity.col.county'), render: (_, l) => l.countyName ?? l.countyCode },
            { title: t('publicity.col.fraudType'), render: (_, l) => typeName(l.fraudType) },
            { title: t('publicity.col.ageBand'), render: (_, l) => ageName(l.ageBand) },
            { title: t('publicity.col.reports'), align: 'right', dataIndex: 'reports' },
            { title: t('publicity.col.baseline'), align: 'right', render: (_, l) => l.baseline.toFixed(2) },
            {
              title: t('publicity.col.change'),
              align: 'right',
              render: (_, l) => changeText(l.change, t('publicity.new')),
            },
            { title: t('publicity.col.loss'), align: 'right', render: (_, l) => formatYuan(l.lossFen) },
            {
              key: 'create',
              render: (_, l) => (
                <Button
                  size="small"
                  type="primary"
                  data-testid={`brief-create-${l.countyCode}-${l.fraudType}-${l.ageBand}`}
                  onClick={() => setLine(l)}
                >
                  {t('publicity.create')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <CampaignsPanel mode="centre" />
      <Modal
        open={line !== null}
        title={line ? `${t('publicity.create')}：${label(line)}` : ''}
        onOk={() => line && create.mutate(line)}
        onCancel={() => setLine(null)}
        okButtonProps={{ loading: create.isPending, 'data-testid': 'campaign-create-ok' }}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Select<CampaignChannel>
            value={channel}
            onChange={setChannel}
            options={campaignChannels.map((c) => ({ value: c, label: t(`publicity.channel.${c}`) }))}
          />
          <Input type="date" value={plannedOn} onChange={(e) => setPlannedOn(e.target.value)} />
        </Flex>
      </Modal>
    </Flex>
  );
}
