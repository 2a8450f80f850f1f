import type { TwoCardHolderSummary, TwoCardMeasureView } from '@fanzha/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { PageHeading, formatCentreTime } from '../../ui';
import { useTwoCardInstructionStream } from '../party-countermeasures/use-two-card-instructions';
import { LiftMeasureDialog, RecordMeasureDialog } from './measure-dialogs';

type LeagueKind = 'bank' | 'operator';

/** 两卡治理: holders in several cases (a measure recorded against one), the league of branches and outlets, the measures in force (lifted here). */
export default function TwoCardsPage() {
  const t = useT();
  const [kind, setKind] = useState<LeagueKind>('bank');
  const [recording, setRecording] = useState<TwoCardHolderSummary | null>(null);
  const [lifting, setLifting] = useState<TwoCardMeasureView | null>(null);
  const holders = useQuery({
    queryKey: ['/api/two-cards/holders'],
    queryFn: ({ signal }) => api.GET('/api/two-cards/holders', { params: { query: {} }, signal }),
  });
  const league = useQuery({
    queryKey: ['/api/two-cards/league', kind],
    queryFn: ({ signal }) => api.GET('/api/two-cards/league', { params: { query: { kind } }, signal }),
  });
  // Live: a party's answer (or an instruction issued) shows on the measures as it happens.
  useTwoCardInstructionStream(['/api/two-cards/measures']);
  const measures = useQuery({
    queryKey: ['/api/two-cards/measures', 'in_force'],
    queryFn: ({ signal }) =>
      api.GET('/api/two-cards/measures', { params: { query: { state: 'in_force' } }, signal }),
  });
  return (
    <Flex vertical gap={16}>
      <PageHeading title={t('console.two-cards.title')} description={t('console.two-cards.purpose')} />
      {(holders.isError || league.isError || measures.isError) && (
        <Alert type="error" showIcon message={t('twoCards.loadError')} />
      )}
      <Card size="small" title={t('twoCards.holders')} data-testid="two-cards-holders">
        <Table<TwoCardHolderSummary>
          size="small"
          rowKey="id"
          loading={holders.isLoading}
          dataSource={holders.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('twoCards.holders.empty') }}
          columns={[
            { title: t('twoCards.col.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('twoCards.col.county'), render: (_, h) => h.countyCode ?? '—' },
            { title: t('twoCards.col.cards'), align: 'right', dataIndex: 'cardCount' },
            { title: t('twoCards.col.cases'), align: 'right', dataIndex: 'caseCount' },
            { title: t('twoCards.col.measures'), align: 'right', dataIndex: 'measuresInForce' },
            {
              title: t('twoCards.col.handOff'),
              render: (_, h) =>
                h.handOff ? <Tag color="blue">{h.handOff.countyCode}</Tag> : t('twoCards.handOff.none'),
            },
            {
              title: t('twoCards.col.actions'),
              key: 'actions',
              render: (_, h) => (
                <Button size="small" onClick={() => setRecording(h)} data-testid={`two-cards-record-${h.id}`}>
                  {t('twoCards.measure.record')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('twoCards.league')}
        data-testid="two-cards-league"
        extra={
          <Segmented<LeagueKind>
            value={kind}
            onChange={setKind}
            options={[
              { value: 'bank', label: t('twoCards.league.bank') },
              { value: 'operator', label: t('twoCards.league.operator') },
            ]}
          />
        }
      >
        <Table
          size="small"
          rowKey={(r) => `${r.institution}|${r.placeCode ?? ''}|${r.placeName ?? ''}`}
          loading={league.isLoading}
          dataSource={league.data?.rows ?? []}
          pagination={false}
          locale={{ emptyText: t('twoCards.league.empty') }}
          columns={[
            { title: t('twoCards.col.institution'), dataIndex: 'institution' },
            { title: t('twoCards.col.place'), render: (_, r) => r.placeName ?? r.placeCode ?? '—' },
            { title: t('twoCards.col.cards'), align: 'right', dataIndex: 'cardCount' },
            { title: t('twoCards.col.holders'), align: 'right', dataIndex: 'holderCount' },
            { title: t('twoCards.col.cases'), align: 'right', dataIndex: 'caseCount' },
          ]}
        />
      </Card>
      <Card size="small" title={t('twoCards.measures')} data-testid="two-cards-measures">
        <Table<TwoCardMeasureView>
          size="small"
          rowKey="id"
          loading={measures.isLoading}
          dataSource={measures.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('twoCards.measures.empty') }}
          columns={[
            { title: t('twoCards.col.kind'), render: (_, m) => t(`twoCards.kind.${m.kind}`) },
            { title: t('twoCards.col.start'), render: (_, m) => m.startsAt.slice(0, 10) },
            { title: t('twoCards.col.end'), render: (_, m) => m.endsAt.slice(0, 10) },
            { title: t('twoCards.col.unit'), dataIndex: 'decidingUnit' },
            { title: t('twoCards.col.reason'), dataIndex: 'reason' },
            {
              title: t('twoCards.col.parties'),
              key: 'parties',
              render: (_, m) =>
                m.instructions.length === 0 ? (
                  <Tag>{t('twoCards.parties.none')}</Tag>
                ) : (
                  <Flex gap={2} wrap>
                    {m.instructions.map((i) => (
                      <Tag
                        key={i.id}
                        color={
                          i.status === 'executed'
                            ? 'green'
                            : i.status === 'refused' || i.isOverdue
                              ? 'red'
                              : 'default'
                        }
                        title={t('twoCards.due.by', { at: formatCentreTime(i.dueAt) })}
                        data-testid={`two-cards-party-${i.partyCode}`}
                      >
                        {i.partyCode}
                        {i.action === 'lift' ? t('twoCards.action.lift') : ''}{' '}
                        {t(`twoCards.status.${i.status}`)}
                        {i.status === 'sent' || i.status === 'acknowledged'
                          ? i.isOverdue
                            ? ` · ${t('twoCards.overdue')}`
                            : ` · ${t('twoCards.due.by', { at: formatCentreTime(i.dueAt) })}`
                          : ''}
                      </Tag>
                    ))}
                  </Flex>
                ),
            },
            {
              title: t('twoCards.col.actions'),
              key: 'actions',
              render: (_, m) =>
                m.state === 'pending' || m.state === 'in_force' ? (
                  <Button size="small" onClick={() => setLifting(m)} data-testid={`two-cards-lift-${m.id}`}>
                    {t('twoCards.measure.lift')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {recording && <RecordMeasureDialog holder={recording} onClose={() => setRecording(null)} />}
      {lifting && <LiftMeasureDialog measure={lifting} onClose={() => setLifting(null)} />}
    </Flex>
  );
}
