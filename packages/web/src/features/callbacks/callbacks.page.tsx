import type { CallbackSummary, CallbackView } from '@fanzha/contracts';
import { callbackOutcomes } from '@fanzha/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  List,
  Radio,
  Rate,
  Row,
  Segmented,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { useMe } from '../../session';
import { MONO_STYLE, PageHeading, formatCentreTime } from '../../ui';
import { attemptBody, dueFirst, emptyAttempt, type AttemptForm } from './callbacks';
import {
  useCallbackView,
  useCallbackContact,
  useCallbackRates,
  useCallbacks,
  useRecordAttempt,
} from './use-callbacks';

function RatesCard() {
  const t = useT();
  const rates = useCallbackRates(true);
  const all = rates.data?.all;
  if (!all) return null;
  return (
    <Card
      size="small"
      title={t('callbacks.rates.title')}
      style={{ marginBottom: 16 }}
      data-testid="callback-rates"
    >
      <Flex gap={32} wrap>
        <Statistic title={t('callbacks.rates.scheduled')} value={all.scheduled} />
        <Statistic
          title={t('callbacks.rates.reachRate')}
          value={all.reachRate === null ? '—' : `${Math.round(all.reachRate * 100)}%`}
        />
        <Statistic
          title={t('callbacks.rates.satisfaction')}
          value={all.meanSatisfaction === null ? '—' : all.meanSatisfaction.toFixed(1)}
        />
        <Statistic title={t('callbacks.rates.complaints')} value={all.complaints} />
      </Flex>
    </Card>
  );
}

function RecordForm({ callback, onDone }: { callback: CallbackView; onDone: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form, setForm] = useState<AttemptForm>(emptyAttempt);
  // One key per attempt being filled in: a double click or a lost answer records it once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const record = useRecordAttempt();
  const body = attemptBody(form);
  const isReached = form.outcome === 'reached';
  const submit = () =>
    body &&
    record.mutate(
      { id: callback.id, key, body },
      {
        onSuccess: () => {
          void message.success(t('callbacks.saved'));
          setForm(emptyAttempt);
          setKey(crypto.randomUUID());
          onDone();
        },
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );
  return (
    <Card size="small" title={t('callbacks.record')}>
      <Flex vertical gap={12}>
        <div>
          <Typography.Text type="secondary">{t('callbacks.outcome')}</Typography.Text>
          <Radio.Group
            value={form.outcome}
            onChange={(e) => setForm({ ...form, outcome: e.target.value as AttemptForm['outcome'] })}
            data-testid="callback-outcome"
          >
            {callbackOutcomes.map((o) => (
              <Radio.Button key={o} value={o} data-testid={`callback-outcome-${o}`}>
                {t(`callbacks.outcome.${o}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </div>
        {isReached && (
          <>
            <div>
              <Typography.Text type="secondary">{t('callbacks.satisfaction')} </Typography.Text>
              <Rate
                value={form.satisfaction ?? 0}
                onChange={(v) => setForm({ ...form, satisfaction: v || null })}
                data-testid="callback-satisfaction"
              />
            </div>
            <Input.TextArea
              rows={2}
              maxLength={2000}
              placeholder={t('callbacks.complaint')}
              value={form.complaint}
              onChange={(e) => setForm({ ...form, complaint: e.target.value })}
              data-testid="callback-complaint"
            />
          </>
        )}
        <Input.TextArea
          rows={2}
          maxLength={2000}
          placeholder={t('callbacks.note')}
          value={form.note}
          onChange={(e) => setForm({ ...form, note: e.target.value })}
        />
        <Button
          type="primary"
          disabled={!body}
          loading={record.isPending}
          onClick={submit}
          data-testid="callback-submit"
        >
          {t('callbacks.submit')}
        </Button>
      </Flex>
    </Card>
  );
}

function Detail({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const one = useCallbackView(id);
  const contact = useCallbackContact();
  const c = one.data;
  if (!c) return null;
  return (
    <Flex vertical gap={12} data-testid="callback-detail">
      <Card
        size="small"
        title={`${t(`callbacks.kind.${c.kind}`)} · ${c.reportNumber ?? c.episodeId?.slice(0, 8) ?? ''}`}
      >
        <Flex vertical gap={8}>
          <Typography.Text>
            {c.personNameMasked ?? '—'} · <span style={MONO_STYLE}>{c.personPhoneMasked ?? '—'}</span>
          </Typography.Text>
          {contact.data ? (
            <Alert
              type="info"
              message={t('callbacks.contact', {
                name: contact.data.name ?? '—',
                phone: contact.data.phone ?? '—',
              })}
              data-testid="callback-contact"
            />
          ) : (
            <Button
              size="small"
              onClick={() => contact.mutate(c.id)}
              loading={contact.isPending}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('callbacks.showContact')}
            </Button>
          )}
          {contact.error && <Alert type="error" message={errorText(locale, contact.error)} />}
        </Flex>
      </Card>
      <Card size="small" title={t('callbacks.script')} data-testid="callback-script">
        <Typography.Paragraph>{c.script.opening}</Typography.Paragraph>
        <ol>
          {c.script.questions.map((q) => (
            <li key={q}>{q}</li>
          ))}
        </ol>
        <Typography.Paragraph type="secondary">{c.script.closing}</Typography.Paragraph>
      </Card>
      {c.status === 'open' && <RecordForm key={c.id} callback={c} onDone={onDone} />}
      {c.attemptsList.length > 0 && (
        <Card size="small" title={`${t('callbacks.attempts')} (${c.attemptsList.length}/${c.maxAttempts})`}>
          <List
            size="small"
            dataSource={c.attemptsList}
            renderItem={(a) => (
              <List.Item>
                {formatCentreTime(a.at)} · {t(`callbacks.outcome.${a.outcome}`)}
                {a.satisfaction !== null && ` · ${t('callbacks.satisfaction')} ${a.satisfaction}`}
                {a.complaint && ` · ${a.complaint}`} · {a.by}
              </List.Item>
            )}
          />
        </Card>
      )}
    </Flex>
  );
}

/** 回访: the centre's callbacks, due first; the script, the person's number on an audited click, the record form. */
export default function CallbacksPage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const [view, setView] = useState<'open' | 'closed'>('open');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useCallbacks(view);
  const rows = view === 'open' ? dueFirst(list.data?.items ?? []) : (list.data?.items ?? []);
  const columns: TableColumnsType<CallbackSummary> = [
    { title: t('callbacks.col.kind'), key: 'kind', render: (_, r) => t(`callbacks.kind.${r.kind}`) },
    {
      title: t('callbacks.col.subject'),
      key: 'subject',
      render: (_, r) => <span style={MONO_STYLE}>{r.reportNumber ?? r.episodeId?.slice(0, 8)}</span>,
    },
    { title: t('callbacks.col.person'), key: 'person', render: (_, r) => r.personPhoneMasked ?? '—' },
    {
      title: t('callbacks.col.due'),
      key: 'due',
      render: (_, r) =>
        r.status === 'open' ? (
          <Flex vertical>
            {formatCentreTime(r.dueAt)}
            <Tag color={r.isDue ? 'red' : 'default'}>
              {r.isDue ? t('callbacks.due') : t('callbacks.notDue')}
            </Tag>
          </Flex>
        ) : (
          formatCentreTime(r.closedAt)
        ),
    },
    { title: t('callbacks.col.attempts'), key: 'attempts', dataIndex: 'attempts', width: 70 },
    { title: t('callbacks.col.status'), key: 'status', render: (_, r) => t(`callbacks.status.${r.status}`) },
  ];
  return (
    <>
      <PageHeading
        title={t('console.callbacks.title')}
        description={t('console.callbacks.purpose')}
        extra={
          <Segmented
            value={view}
            onChange={(v) => {
              setView(v as 'open' | 'closed');
              setSelected(null);
            }}
            options={[
              { value: 'open', label: t('callbacks.view.open') },
              { value: 'closed', label: t('callbacks.view.closed') },
            ]}
          />
        }
      />
      {me.role === 'supervisor' && <RatesCard />}
      {list.error && (
        <Alert type="error" message={`${t('callbacks.loadError')}: ${errorText(locale, list.error)}`} />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Table
            rowKey="id"
            size="small"
            loading={list.isLoading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: <Empty description={t('callbacks.empty')} /> }}
            onRow={(r) => ({
              onClick: () => setSelected(r.id),
              style: {
                cursor: 'pointer',
                background: r.id === selected ? 'rgba(22,119,255,0.06)' : undefined,
              },
              'data-testid': `callback-row-${r.reportNumber ?? r.episodeId}`,
            })}
          />
        </Col>
        <Col xs={24} lg={10}>
          {selected ? (
            <Detail id={selected} onDone={() => void list.refetch()} />
          ) : (
            <Empty description={t('callbacks.pick')} />
          )}
        </Col>
      </Row>
    </>
  );
}
