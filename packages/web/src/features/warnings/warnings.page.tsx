import { CheckOutlined, FormOutlined } from '@ant-design/icons';
import type { EpisodeSummary } from '@fanzha/contracts';
import { persuasionOutcomes, type PersuasionOutcome } from '@fanzha/domain';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Segmented,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { ACCEPT_THRESHOLDS, Countdown } from '../../case';
import { errorText, useLocale, useT } from '../../i18n';
import { useEpisodeStream, type EpisodeFilter } from '../../live';
import { useMe } from '../../session';
import { MONO_STYLE, PageHeading, formatCentreTime } from '../../ui';
import { countyName } from '../county/county-queue';
import { QueueFilters } from '../county/queue-filters';
import { EpisodeDrawer } from './episode-drawer';
import { GradeTag, StepTag, episodeCounty } from './episode-labels';
import { useEpisodeCommand, useEpisodes } from './use-episodes';

type View = 'open' | 'closed';

/** 预警劝阻: the persuader's live queue of warning episodes, most urgent first, each worked in a drawer. */
export default function WarningsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  // A persuader bound to a county sees only it; the centre's desk and supervisors may pick one.
  const isDesk = me.countyCode === null;
  const [view, setView] = useState<View>('open');
  const [county, setCounty] = useState<string | null>(null);
  const [isOverdueOnly, setOverdueOnly] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const filter: EpisodeFilter = useMemo(
    () => ({
      isOpen: view === 'open',
      ...(isDesk && county ? { county } : {}),
      ...(isOverdueOnly ? { isOverdueOnly } : {}),
    }),
    [view, county, isDesk, isOverdueOnly],
  );
  const episodes = useEpisodes(filter);
  useEpisodeStream();
  const command = useEpisodeCommand();
  const rows = episodes.data?.episodes ?? [];
  const overdue = rows.filter((r) => r.isOverdue).length;
  const centre = t('warnings.routed.centre');
  const closeReasonText = (reason: string) =>
    (persuasionOutcomes as readonly string[]).includes(reason)
      ? t(`warnings.outcome.${reason as PersuasionOutcome}`)
      : reason;

  const take = (e: EpisodeSummary) =>
    command.mutate(
      { id: e.id, command: { kind: 'take' }, key: crypto.randomUUID() },
      {
        onSuccess: () => setOpenId(e.id),
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );

  const columns: TableColumnsType<EpisodeSummary> = [
    {
      title: t('warnings.col.grade'),
      key: 'grade',
      width: 70,
      render: (_, r) => <GradeTag grade={r.grade} />,
    },
    {
      title: t('warnings.col.person'),
      key: 'person',
      width: 150,
      render: (_, r) => <span style={MONO_STYLE}>{r.personPhoneMasked ?? '—'}</span>,
    },
    {
      title: t('warnings.col.county'),
      key: 'county',
      width: 150,
      render: (_, r) => episodeCounty(r, centre),
    },
    {
      title: t('warnings.col.step'),
      key: 'step',
      width: 170,
      render: (_, r) => <StepTag step={r.step} isOverdue={r.isOverdue} />,
    },
    {
      title: t('warnings.col.warnings'),
      key: 'warnings',
      width: 90,
      align: 'right',
      render: (_, r) => <span style={MONO_STYLE}>{r.warningCount}</span>,
    },
    {
      title: t('warnings.col.due'),
      key: 'due',
      width: 210,
      render: (_, r) =>
        r.isOpen ? (
          <Flex vertical gap={2}>
            {r.dueAt && <Countdown deadline={r.dueAt} thresholds={ACCEPT_THRESHOLDS} />}
            {r.reachBy && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('warnings.reachBy', { at: formatCentreTime(r.reachBy) })}
              </Typography.Text>
            )}
          </Flex>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatCentreTime(r.closedAt)}
            {r.closeReason ? ` · ${closeReasonText(r.closeReason)}` : ''}
          </Typography.Text>
        ),
    },
    {
      title: t('warnings.col.taken'),
      key: 'taken',
      width: 100,
      render: (_, r) =>
        r.takenBy ? (
          <Typography.Text>{r.takenBy === me.id ? me.displayName : t('warnings.taken')}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('warnings.notTaken')}</Typography.Text>
        ),
    },
    {
      title: '',
      key: 'actions',
      render: (_, r) => (
        <Flex gap={6}>
          {r.isOpen && !r.takenBy && (
            <Button
              type="primary"
              size="small"
              icon={<CheckOutlined />}
              loading={command.isPending && command.variables.id === r.id}
              onClick={() => take(r)}
              data-testid={`episode-take-${r.id}`}
            >
              {t('warnings.take')}
            </Button>
          )}
          <Button
            size="small"
            icon={<FormOutlined />}
            onClick={() => setOpenId(r.id)}
            data-testid={`episode-open-${r.id}`}
          >
            {t('warnings.open')}
          </Button>
        </Flex>
      ),
    },
  ];

  const rowProps = (r: EpisodeSummary) =>
    ({
      'data-testid': `episode-row-${r.id}`,
      'data-grade': r.grade,
      'data-step': r.step,
      'data-overdue': String(r.isOverdue),
    }) as HTMLAttributes<HTMLElement>;

  const scope = isDesk ? t('warnings.scope.all') : countyName(me.countyCode);
  return (
    <>
      <PageHeading
        title={`${t('console.warnings.title')} · ${scope}`}
        description={t('warnings.description')}
        extra={
          <QueueFilters
            isCountyPicker={isDesk}
            county={county}
            onCounty={setCounty}
            isOverdueOnly={isOverdueOnly}
            onOverdueOnly={setOverdueOnly}
            labels={{ county: t('warnings.filter.county'), overdue: t('warnings.filter.overdue') }}
            testIds={{ county: 'episode-county-filter', overdue: 'episode-overdue-only' }}
          />
        }
      />
      {episodes.isError && (
        <Alert
          type="error"
          showIcon
          title={t('warnings.loadError')}
          description={errorText(locale, episodes.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card
        size="small"
        title={
          <Flex gap={12} align="center">
            <Segmented<View>
              value={view}
              onChange={setView}
              options={(['open', 'closed'] as const).map((v) => ({
                value: v,
                label: <span data-testid={`episode-view-${v}`}>{t(`warnings.view.${v}`)}</span>,
              }))}
            />
            <Badge count={rows.length} showZero color="#1f5fbf" />
            {overdue > 0 && (
              <Typography.Text type="danger" strong data-testid="episode-overdue-count">
                {t('warnings.overdueCount', { n: overdue })}
              </Typography.Text>
            )}
          </Flex>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table
          size="small"
          rowKey="id"
          dataSource={rows}
          columns={columns}
          loading={episodes.isPending}
          pagination={{ pageSize: 50, size: 'small', showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t(`warnings.empty.${view}`) }}
          onRow={rowProps}
          data-testid="episodes"
        />
      </Card>
      {openId && <EpisodeDrawer id={openId} onClose={() => setOpenId(null)} />}
    </>
  );
}
