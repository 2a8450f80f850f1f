import type { CampaignView } from '@fanzha/contracts';
import { fraudTypes } from '@fanzha/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Input, InputNumber, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { formatCentreTime } from '../../ui';
import { changeText } from './publicity';

export const CAMPAIGNS_KEY = '/api/publicity/campaigns';
const STATUS_COLOUR = { planned: 'gold', assigned: 'blue', done: 'green', cancelled: 'default' } as const;

function BeforeAfter({ id }: { id: string }) {
  const t = useT();
  const q = useQuery({
    queryKey: [CAMPAIGNS_KEY, id, 'before-after'],
    queryFn: ({ signal }) =>
      api.GET('/api/publicity/campaigns/{id}/before-after', { params: { path: { id }, query: {} }, signal }),
  });
  if (!q.data) return null;
  const d = q.data;
  return (
    <Typography.Text data-testid={`campaign-before-after-${id}`}>
      {d.beforeRate.toFixed(1)} → {d.afterRate === null ? '—' : d.afterRate.toFixed(1)}
      {d.change !== null && ` (${changeText(d.change, t('publicity.new'))})`}
    </Typography.Text>
  );
}

type Step = { kind: 'complete' | 'cancel'; campaign: CampaignView };

/**
 * Campaigns (宣传任务): the centre's list (cancel) and the county police's own (accept, complete with the
 * people reached). The server scopes the list: county police see only their county's.
 */
export function CampaignsPanel({ mode }: { mode: 'centre' | 'county' }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [step, setStep] = useState<Step | null>(null);
  const [reach, setReach] = useState<number | null>(null);
  const [text, setText] = useState('');
  const list = useQuery({
    queryKey: [CAMPAIGNS_KEY],
    queryFn: ({ signal }) => api.GET('/api/publicity/campaigns', { params: { query: {} }, signal }),
    refetchInterval: 30_000,
  });
  const act = useMutation({
    mutationFn: (a: { kind: 'accept' | 'complete' | 'cancel'; id: string }) => {
      const params = { path: { id: a.id } };
      if (a.kind === 'accept') return api.POST('/api/publicity/campaigns/{id}/accept', { params, body: {} });
      if (a.kind === 'complete')
        return api.POST('/api/publicity/campaigns/{id}/complete', {
          params,
          body: { reach: reach ?? 0, ...(text.trim() ? { note: text.trim() } : {}) },
        });
      return api.POST('/api/publicity/campaigns/{id}/cancel', { params, body: { reason: text.trim() } });
    },
    onSuccess: (_, a) => {
      if (a.kind === 'complete') void message.success(t('publicity.complete.ok'));
      setStep(null);
      void client.invalidateQueries({ queryKey: [CAMPAIGNS_KEY] });
    },
    onError: (e) => void message.error(errorText(locale, e)),
  });
  const typeName = (code: string | null) => {
    const f = fraudTypes.find((x) => x.code === code);
    return f ? (locale === 'en-US' ? f.nameEn : f.nameZh) : null;
  };
  const open = (c: CampaignView) => c.status === 'planned' || c.status === 'assigned';
  return (
    <Card title={t('publicity.campaigns')} size="small" data-testid="campaigns-panel">
      {list.isError && <Alert type="error" showIcon message={t('publicity.loadError')} />}
      <Table<CampaignView>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.campaigns ?? []}
        pagination={false}
        locale={{ emptyText: t('publicity.campaigns.empty') }}
        onRow={(c) => ({ 'data-testid': `campaign-row-${c.id}` }) as object}
        columns={[
          { title: t('publicity.col.county'), render: (_, c) => c.countyName ?? c.countyCode },
          {
            title: t('publicity.col.fraudType'),
            render: (_, c) =>
              [
                typeName(c.fraudType),
                c.ageBand && t(`publicity.age.${c.ageBand}` as 'publicity.age.18-25'),
                c.targetText,
              ]
                .filter(Boolean)
                .join(' · '),
          },
          {
            title: t('publicity.col.channel'),
            render: (_, c) => t(`publicity.channel.${c.channel}` as 'publicity.channel.sms'),
          },
          { title: t('publicity.col.plannedOn'), dataIndex: 'plannedOn' },
          { title: t('publicity.dueAt'), render: (_, c) => formatCentreTime(c.dueAt) },
          {
            title: t('publicity.col.status'),
            render: (_, c) => (
              <Tag
                color={c.isOverdue ? 'red' : STATUS_COLOUR[c.status]}
                data-testid={`campaign-status-${c.id}`}
              >
                {t(`publicity.status.${c.status}`)}
              </Tag>
            ),
          },
          { title: t('publicity.col.reach'), align: 'right', render: (_, c) => c.reach ?? '' },
          { title: t('publicity.col.beforeAfter'), render: (_, c) => <BeforeAfter id={c.id} /> },
          {
            key: 'actions',
            render: (_, c) =>
              open(c) && (
                <Flex gap={4}>
                  {mode === 'county' && c.status === 'planned' && (
                    <Button size="small" onClick={() => act.mutate({ kind: 'accept', id: c.id })}>
                      {t('publicity.accept')}
                    </Button>
                  )}
                  {mode === 'county' && (
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`campaign-complete-${c.id}`}
                      onClick={() => {
                        setReach(null);
                        setText('');
                        setStep({ kind: 'complete', campaign: c });
                      }}
                    >
                      {t('publicity.complete')}
                    </Button>
                  )}
                  {mode === 'centre' && (
                    <Button
                      size="small"
                      danger
                      onClick={() => {
                        setText('');
                        setStep({ kind: 'cancel', campaign: c });
                      }}
                    >
                      {t('publicity.cancel')}
                    </Button>
                  )}
                </Flex>
              ),
          },
        ]}
      />
      <Modal
        open={step !== null}
        title={step ? t(step.kind === 'complete' ? 'publicity.complete' : 'publicity.cancel') : ''}
        okButtonProps={{
          disabled: step?.kind === 'complete' ? reach === null : !text.trim(),
          loading: act.isPending,
          'data-testid': 'campaign-step-ok',
        }}
        onOk={() => step && act.mutate({ kind: step.kind, id: step.campaign.id })}
        onCancel={() => setStep(null)}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          {step?.kind === 'complete' && (
            <InputNumber
              min={0}
              precision={0}
              style={{ width: '100%' }}
              placeholder={t('publicity.col.reach')}
              value={reach}
              onChange={(v) => setReach(v)}
              data-testid="campaign-reach"
            />
          )}
          <Input.TextArea
            rows={3}
            placeholder={t(step?.kind === 'cancel' ? 'publicity.reason' : 'publicity.note')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Flex>
      </Modal>
    </Card>
  );
}
