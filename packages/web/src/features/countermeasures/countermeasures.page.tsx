import type { CountermeasureFigures, CountermeasureView } from '@fanzha/contracts';
import { countermeasureKindNamesZh, countermeasureStatuses, findBankByCode, operators } from '@fanzha/domain';
import { Alert, App, Button, Card, Flex, Input, Modal, Segmented, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { errorText, formatDuration, useLocale, useT, type Translate } from '../../i18n';
import { LiveBadge } from '../../live';
import { MONO_STYLE, PageHeading, formatCentreTime } from '../../ui';
import { useCountermeasureStream } from '../party-countermeasures/use-countermeasures';
import {
  useCentreCountermeasures,
  useCountermeasureFigures,
  useCountermeasureLift,
  type CountermeasureFilter,
} from './use-centre-countermeasures';

type PartyRow = CountermeasureFigures['parties'][number];

const FILTERS: readonly CountermeasureFilter[] = ['open', ...countermeasureStatuses];
const STATUS_COLOUR: Record<CountermeasureView['status'], string> = {
  requested: 'blue',
  acknowledged: 'cyan',
  executed: 'green',
  refused: 'red',
  lift_requested: 'purple',
  lifted: 'default',
};

const isOperator = (code: string): code is (typeof operators)[number] =>
  (operators as readonly string[]).includes(code);

/** An operator's or a bank's name, from its code. */
export function partyName(t: Translate, code: string): string {
  if (isOperator(code)) return t(`operator.name.${code}`);
  return findBankByCode(code)?.nameZh ?? code;
}

const rowProps = (r: CountermeasureView) =>
  ({
    'data-testid': `cm-row-${r.id}`,
    'data-status': r.status,
    'data-value': r.value,
    'data-overdue': r.isOverdue,
  }) as HTMLAttributes<HTMLElement>;

/** 技术反制 (the centre's view): every request by status, overdue marked, lifts, and the figures per party. */
export default function CountermeasuresPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [status, setStatus] = useState<CountermeasureFilter>('open');
  const list = useCentreCountermeasures(status);
  const figures = useCountermeasureFigures();
  useCountermeasureStream();
  const lift = useCountermeasureLift();
  const [lifting, setLifting] = useState<{ item: CountermeasureView; key: string } | null>(null);
  const [reason, setReason] = useState('');
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const submitLift = () => {
    if (!lifting || !reason.trim()) return;
    lift.mutate(
      { id: lifting.item.id, key: lifting.key, reason: reason.trim() },
      {
        onSuccess: () => {
          void message.success(t('cm.lift.done'));
          setLifting(null);
          setReason('');
        },
      },
    );
  };

  return (
    <>
      <PageHeading
        title={t('console.countermeasures.title')}
        description={t('console.countermeasures.purpose')}
        extra={<LiveBadge />}
      />
      {(list.isError || figures.isError) && (
        <Alert
          type="error"
          showIcon
          title={t('cm.loadError')}
          description={errorText(locale, (list.error ?? figures.error)!)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Flex vertical gap={12}>
        <Card
          size="small"
          title={t('cm.figures')}
          extra={
            figures.data && (
              <Typography.Text data-testid="cm-phones-shut" data-count={figures.data.phonesShut}>
                {t('cm.figures.total', { count: figures.data.phonesShut })}
              </Typography.Text>
            )
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table<PartyRow>
            size="small"
            rowKey={(p) => `${p.partyKind}:${p.partyCode}`}
            dataSource={figures.data?.parties ?? []}
            loading={figures.isPending}
            pagination={false}
            locale={{ emptyText: t('cm.figures.empty') }}
            data-testid="cm-figures"
            onRow={(p) =>
              ({
                'data-testid': `cm-figure-${p.partyCode}`,
                'data-executed': p.executed,
                'data-phones-shut': p.phonesShut,
              }) as object
            }
            columns={[
              { title: t('cm.col.party'), key: 'party', render: (_, p) => partyName(t, p.partyCode) },
              { title: t('cm.figures.requested'), dataIndex: 'requested', align: 'right' },
              { title: t('cm.figures.executed'), dataIndex: 'executed', align: 'right' },
              { title: t('cm.figures.refused'), dataIndex: 'refused', align: 'right' },
              { title: t('cm.figures.open'), dataIndex: 'open', align: 'right' },
              {
                title: t('cm.figures.overdue'),
                key: 'overdue',
                align: 'right',
                render: (_, p) => (p.overdue > 0 ? <Tag color="red">{p.overdue}</Tag> : 0),
              },
              { title: t('cm.figures.phonesShut'), dataIndex: 'phonesShut', align: 'right' },
              {
                title: t('cm.figures.median'),
                key: 'median',
                align: 'right',
                render: (_, p) =>
                  p.medianExecuteMs === null ? '—' : formatDuration(p.medianExecuteMs / 1000, t),
              },
            ]}
          />
        </Card>
        <Card
          size="small"
          title={t('cm.list')}
          styles={{ body: { padding: 0 } }}
          extra={
            <Segmented<CountermeasureFilter>
              aria-label={t('cm.col.status')}
              size="small"
              value={status}
              onChange={setStatus}
              options={FILTERS.map((s) => ({
                value: s,
                label: <span data-testid={`cm-filter-${s}`}>{t(`cm.status.${s}`)}</span>,
              }))}
            />
          }
        >
          <Table<CountermeasureView>
            size="small"
            rowKey="id"
            dataSource={rows}
            loading={list.isPending}
            pagination={false}
            locale={{ emptyText: t('cm.empty') }}
            onRow={rowProps}
            data-testid="cm-list"
            columns={[
              {
                title: t('countermeasures.col.kind'),
                key: 'kind',
                render: (_, r) => countermeasureKindNamesZh[r.kind],
              },
              {
                title: t('countermeasures.col.value'),
                key: 'value',
                render: (_, r) => <span style={MONO_STYLE}>{r.value}</span>,
              },
              { title: t('cm.col.party'), key: 'party', render: (_, r) => partyName(t, r.partyCode) },
              {
                title: t('cm.col.status'),
                key: 'status',
                render: (_, r) => (
                  <Flex gap={4} wrap>
                    <Tag color={STATUS_COLOUR[r.status]} data-testid="cm-status">
                      {t(`cm.status.${r.status}`)}
                    </Tag>
                    {r.isOverdue && <Tag color="red">{t('countermeasures.overdue')}</Tag>}
                  </Flex>
                ),
              },
              {
                title: t('countermeasures.col.reason'),
                key: 'reason',
                render: (_, r) => (
                  <Flex vertical>
                    <span>{r.liftReason ?? r.reason}</span>
                    {r.refusalReason && (
                      <Typography.Text type="danger">
                        {t('cm.refusedBecause', { reason: t(`countermeasures.refusal.${r.refusalReason}`) })}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              {
                title: t('cm.col.requestedAt'),
                key: 'requestedAt',
                render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.requestedAt)}</span>,
              },
              {
                title: t('cm.col.actions'),
                key: 'actions',
                render: (_, r) =>
                  // Lifted once carried out, or withdrawn before (the party then must not carry it out).
                  r.status === 'executed' || r.status === 'requested' || r.status === 'acknowledged' ? (
                    <Button
                      size="small"
                      onClick={() => setLifting({ item: r, key: crypto.randomUUID() })}
                      data-testid="cm-lift"
                    >
                      {t('cm.lift')}
                    </Button>
                  ) : null,
              },
            ]}
          />
          {list.hasNextPage && (
            <Flex justify="center" style={{ padding: 12 }}>
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('indicators.more')}
              </Button>
            </Flex>
          )}
        </Card>
      </Flex>
      <Modal
        open={lifting !== null}
        title={lifting ? `${t('cm.lift.title')} · ${lifting.item.value}` : t('cm.lift.title')}
        okText={t('cm.lift')}
        okButtonProps={{ disabled: !reason.trim(), loading: lift.isPending, 'data-testid': 'cm-lift-submit' }}
        onOk={submitLift}
        onCancel={() => setLifting(null)}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={t('indicators.reason')}
          placeholder={t('indicators.reason')}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          data-testid="cm-lift-reason"
        />
        {lift.error && (
          <Alert type="error" showIcon title={errorText(locale, lift.error)} style={{ marginTop: 8 }} />
        )}
      </Modal>
    </>
  );
}
