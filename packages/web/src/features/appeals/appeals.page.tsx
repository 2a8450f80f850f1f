import type { AppealEffectView, AppealView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { api } from '../../api';
import { useMe } from '../../session';
import { errorText, useLocale, useT, type MessageKey } from '../../i18n';
import { PageHeading, formatCentreTime } from '../../ui';

type Step = { id: string; kind: 'review' | 'decision'; outcome: 'grant' | 'deny' };

const effectColour = { pending: 'default', done: 'green', failed: 'orange' } as const;
/** A freeze's release the decider proposed alone: done for the appeal, awaiting a second approver. */
const awaitsApprover = (e: AppealEffectView) => e.status === 'done' && e.result === 'release_proposed';

/**
 * 申诉复核: the open appeals; an analyst or supervisor recommends (grant or deny, with a reason), a different
 * supervisor decides. The server refuses the reviewer deciding; the buttons follow the same rule. The granted
 * ones show each effect of the grant and its state (a failed one is retried by the server).
 */
export default function AppealsPage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const client = useQueryClient();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [show, setShow] = useState<'open' | 'granted'>('open');
  const appeals = useQuery({
    queryKey: ['/api/appeals', show],
    queryFn: ({ signal }) => api.GET('/api/appeals', { params: { query: { status: show } }, signal }),
  });
  const step = useMutation({
    mutationFn: ({ id, kind, outcome }: Step) => {
      const reason = reasons[id]?.trim() ?? '';
      const path = { id };
      return kind === 'review'
        ? api.POST('/api/appeals/{id}/review', {
            params: { path },
            body: { recommendation: outcome, reason },
          })
        : api.POST('/api/appeals/{id}/decision', { params: { path }, body: { decision: outcome, reason } });
    },
    onSuccess: () => {
      setProblem(null);
      void client.invalidateQueries({ queryKey: ['/api/appeals'] });
    },
    onError: (error) => setProblem(errorText(locale, error)),
  });
  const isSupervisor = me.role === 'supervisor';

  const actions = (a: AppealView) => {
    if (a.status !== 'filed' && a.status !== 'under_review') return null;
    const reason = reasons[a.id]?.trim() ?? '';
    const act = (kind: Step['kind'], outcome: Step['outcome'], label: MessageKey, testId: string) => (
      <Button
        size="small"
        disabled={reason === '' || step.isPending}
        onClick={() => step.mutate({ id: a.id, kind, outcome })}
        data-testid={testId}
      >
        {t(label)}
      </Button>
    );
    return (
      <Flex vertical gap={4}>
        <Input
          size="small"
          aria-label={t('appeals.reason')}
          placeholder={t('appeals.reason')}
          value={reasons[a.id] ?? ''}
          onChange={(e) => setReasons((r) => ({ ...r, [a.id]: e.target.value }))}
          maxLength={1000}
          data-testid="appeal-reason"
        />
        {a.status === 'filed' && (
          <Space>
            {act('review', 'grant', 'appeals.recommendGrant', 'appeal-recommend-grant')}
            {act('review', 'deny', 'appeals.recommendDeny', 'appeal-recommend-deny')}
          </Space>
        )}
        {a.status === 'under_review' && isSupervisor && a.reviewedBy !== me.username && (
          <Space>
            {act('decision', 'grant', 'appeals.grant', 'appeal-grant')}
            {act('decision', 'deny', 'appeals.deny', 'appeal-deny')}
          </Space>
        )}
      </Flex>
    );
  };

  return (
    <Flex vertical gap={16}>
      <PageHeading title={t('appeals.title')} description={t('appeal.description')} />
      {appeals.isError && <Alert type="error" showIcon message={t('appeals.loadError')} />}
      {problem && <Alert type="warning" showIcon message={problem} data-testid="appeals-problem" />}
      <Radio.Group
        value={show}
        onChange={(e) => setShow(e.target.value as 'open' | 'granted')}
        optionType="button"
        options={(['open', 'granted'] as const).map((v) => ({ value: v, label: t(`appeals.show.${v}`) }))}
        data-testid="appeals-show"
      />
      <Card size="small" data-testid="appeals-list">
        <Table<AppealView>
          size="small"
          rowKey="id"
          loading={appeals.isLoading}
          dataSource={appeals.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('appeals.empty') }}
          onRow={(a) => ({ 'data-reference': a.reference }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('appeals.col.reference'), dataIndex: 'reference' },
            {
              title: t('appeals.col.subject'),
              render: (_, a) => (
                <>
                  <Tag data-testid="appeal-row-kind">{t(`appeal.kind.${a.subjectKind}` as MessageKey)}</Tag>
                  {a.subjectBankCode ? `${a.subjectBankCode} ` : ''}
                  {a.subjectValue}
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {a.statement}
                  </Typography.Paragraph>
                </>
              ),
            },
            {
              title: t('appeals.col.status'),
              render: (_, a) => (
                <Tag color={a.isOverdue ? 'red' : 'blue'} data-testid="appeal-row-status">
                  {t(`appeal.status.${a.status}` as MessageKey)}
                </Tag>
              ),
            },
            {
              title: t('appeals.col.recommendation'),
              render: (_, a) =>
                a.recommendation ? (
                  <>
                    {t(`appeals.recommendation.${a.recommendation}` as MessageKey)}：{a.recommendationReason}
                    <br />
                    <Typography.Text type="secondary">
                      {t('appeals.reviewedBy', { name: a.reviewedBy ?? '' })}
                    </Typography.Text>
                  </>
                ) : (
                  '—'
                ),
            },
            { title: t('appeals.col.due'), render: (_, a) => formatCentreTime(a.dueAt) },
            {
              title: t('appeals.col.effects'),
              render: (_, a) =>
                a.effectStates.length === 0 ? (
                  '—'
                ) : (
                  <Flex vertical gap={2} data-testid="appeal-effects">
                    {a.effectStates.map((e) => (
                      <Tag
                        key={`${e.kind}:${e.targetId}`}
                        color={awaitsApprover(e) ? 'blue' : effectColour[e.status]}
                        title={e.lastError ?? e.result ?? undefined}
                      >
                        {t(`appeals.effect.${e.kind}` as MessageKey)}：
                        {awaitsApprover(e)
                          ? t('appeals.effectResult.release_proposed')
                          : t(`appeals.effectStatus.${e.status}` as MessageKey)}
                      </Tag>
                    ))}
                  </Flex>
                ),
            },
            { title: t('appeals.col.actions'), render: (_, a) => actions(a) },
          ]}
        />
      </Card>
    </Flex>
  );
}
