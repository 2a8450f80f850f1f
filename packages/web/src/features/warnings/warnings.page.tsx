import type { EpisodeSummary } from '@fanzha/contracts';
import {
  countyLabel,
  ladderStepNamesZh,
  persuasionOutcomeNamesZh,
  persuasionOutcomes,
  type LadderStep,
  type PersuasionOutcome,
} from '@fanzha/domain';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Table,
  Tag,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { useMe } from '../../session';
import { MONO_STYLE, PageHeading, formatCentreTime } from '../../ui';
import { useEpisodeCommand, useEpisodeStream, useEpisodes, type EpisodeCommand } from './use-episodes';

const GRADE_COLOURS = { high: 'red', medium: 'orange', low: 'blue' } as const;
const HOLD_STEPS: ReadonlySet<LadderStep> = new Set(['carrier_assist', 'visit']);

/** 劝阻台: the episodes of the persuader's county (the centre's desk: all), worked along the ladder. */
export default function WarningsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const [isOpen, setOpen] = useState(true);
  const [holdFor, setHoldFor] = useState<EpisodeSummary | null>(null);
  const episodes = useEpisodes(isOpen);
  useEpisodeStream();
  const command = useEpisodeCommand();
  const isZh = locale === 'zh-CN';
  const stepName = (s: LadderStep) => (isZh ? ladderStepNamesZh[s] : s.replaceAll('_', ' '));
  const outcomeName = (o: PersuasionOutcome) => (isZh ? persuasionOutcomeNamesZh[o] : o.replaceAll('_', ' '));

  const run = (episode: EpisodeSummary, c: EpisodeCommand, done?: () => void) =>
    command.mutate(
      { episode, command: c },
      {
        onSuccess: () => {
          void message.success(t('warnings.outcome.saved'));
          done?.();
        },
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );

  const columns: TableColumnsType<EpisodeSummary> = [
    {
      title: t('warnings.col.grade'),
      key: 'grade',
      width: 90,
      render: (_, e) => (
        <Flex gap={4}>
          <Tag color={GRADE_COLOURS[e.grade]}>{t(`warnings.grade.${e.grade}`)}</Tag>
          {e.isOverdue && <Tag color="red">{t('warnings.overdue')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('warnings.col.person'),
      key: 'person',
      width: 140,
      render: (_, e) => <span style={MONO_STYLE}>{e.personPhoneMasked ?? '—'}</span>,
    },
    {
      title: t('warnings.col.county'),
      key: 'county',
      width: 150,
      render: (_, e) =>
        e.countyCode ? (e.countyName ?? countyLabel(e.countyCode) ?? e.countyCode) : t('warnings.centre'),
    },
    {
      title: t('warnings.col.step'),
      key: 'step',
      width: 160,
      render: (_, e) => <span data-testid={`episode-step-${e.id}`}>{stepName(e.step)}</span>,
    },
    {
      title: t('warnings.col.due'),
      key: 'due',
      width: 150,
      render: (_, e) => <span style={MONO_STYLE}>{e.dueAt ? formatCentreTime(e.dueAt) : '—'}</span>,
    },
    { title: t('warnings.col.warnings'), key: 'count', width: 90, render: (_, e) => e.warningCount },
    {
      title: '',
      key: 'actions',
      render: (_, e) =>
        e.isOpen && (
          <Flex gap={6} wrap>
            {e.takenBy === null ? (
              <Button size="small" type="primary" onClick={() => run(e, { kind: 'take' })}>
                {t('warnings.take')}
              </Button>
            ) : (
              <Tag>{e.takenBy === me.id ? t('warnings.taken') : t('warnings.col.taken')}</Tag>
            )}
            {e.step !== 'hold_pending' && e.step !== 'hold' && (
              <Select<PersuasionOutcome>
                size="small"
                style={{ width: 190 }}
                placeholder={t('warnings.outcome')}
                value={null}
                options={persuasionOutcomes.map((o) => ({ value: o, label: outcomeName(o) }))}
                onChange={(outcome) => run(e, { kind: 'outcome', outcome })}
                data-testid={`episode-outcome-${e.id}`}
              />
            )}
            {HOLD_STEPS.has(e.step) && (
              <Button size="small" danger onClick={() => setHoldFor(e)}>
                {t('warnings.hold')}
              </Button>
            )}
            {e.step === 'hold_pending' && (
              <>
                <Button size="small" type="primary" onClick={() => run(e, { kind: 'approve' })}>
                  {t('warnings.hold.approve')}
                </Button>
                <Button size="small" onClick={() => run(e, { kind: 'reject' })}>
                  {t('warnings.hold.reject')}
                </Button>
              </>
            )}
            {e.step === 'hold' && (
              <Button size="small" onClick={() => run(e, { kind: 'release' })}>
                {t('warnings.hold.release')}
              </Button>
            )}
          </Flex>
        ),
    },
  ];

  return (
    <>
      <PageHeading
        title={`${t('console.warnings.title')} · ${
          me.countyCode ? (countyLabel(me.countyCode) ?? me.countyCode) : t('warnings.scope.centre')
        }`}
        description={t('warnings.description')}
        extra={
          <Flex gap={16} align="center">
            <LiveBadge />
            <Segmented
              value={isOpen ? 'open' : 'closed'}
              options={[
                { value: 'open', label: t('warnings.filter.open') },
                { value: 'closed', label: t('warnings.filter.closed') },
              ]}
              onChange={(v) => setOpen(v === 'open')}
            />
          </Flex>
        }
      />
      {episodes.isError && <Alert type="error" showIcon message={errorText(locale, episodes.error)} />}
      <Table<EpisodeSummary>
        rowKey="id"
        size="small"
        loading={episodes.isLoading}
        columns={columns}
        dataSource={episodes.data?.episodes ?? []}
        pagination={false}
        locale={{ emptyText: t('warnings.empty') }}
        data-testid="episodes"
      />
      <HoldDialog
        episode={holdFor}
        isPending={command.isPending}
        onCancel={() => setHoldFor(null)}
        onSubmit={(episode, reason, hours) =>
          run(episode, { kind: 'hold', reason, hours }, () => setHoldFor(null))
        }
      />
    </>
  );
}

function HoldDialog(props: {
  episode: EpisodeSummary | null;
  isPending: boolean;
  onCancel: () => void;
  onSubmit: (episode: EpisodeSummary, reason: string, hours: number) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string; hours: number }>();
  return (
    <Modal
      open={props.episode !== null}
      title={t('warnings.hold')}
      confirmLoading={props.isPending}
      onCancel={props.onCancel}
      onOk={() =>
        void form
          .validateFields()
          .then((v) => props.episode && props.onSubmit(props.episode, v.reason.trim(), v.hours))
      }
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ hours: 24 }}>
        <Form.Item
          name="reason"
          label={t('warnings.hold.reason')}
          rules={[{ required: true, min: 4, max: 500 }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="hours" label={t('warnings.hold.hours')} rules={[{ required: true }]}>
          <InputNumber min={1} max={72} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
