import type { WallCallbackFigures, WallCallbacks, WallInvestigation, WallTasks } from '@fanzha/contracts';
import { useT } from '../../../i18n';
import type { OptionContext } from '../options/option-context';
import { WALL } from '../wall-theme';
import { Empty, Headline, LIST_ROWS, Row } from './lists';
import { Panel } from './panel';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const mean = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/** Callbacks (回访): closed today, and today's and this month's reach rate, satisfaction and complaints. */
export function CallbacksPanel({
  callbacks,
  ctx,
}: {
  callbacks: WallCallbacks | undefined;
  ctx: OptionContext;
}) {
  const { t } = ctx;
  const row = (label: string, f: WallCallbackFigures | undefined) => (
    <Row
      ctx={ctx}
      columns="minmax(0, 1fr) auto auto auto"
      cells={[
        [label, WALL.text],
        [t('callbacks.reach', { v: percent(f?.reachRate ?? null) }), WALL.text],
        [t('callbacks.satisfaction', { v: mean(f?.meanSatisfaction ?? null) }), WALL.gold],
        [
          t('callbacks.complaints', { n: f?.complaints ?? 0 }),
          (f?.complaints ?? 0) > 0 ? WALL.red : WALL.muted,
        ],
      ]}
    />
  );
  return (
    <Panel
      ctx={ctx}
      title={t('callbacks.title')}
      extra={t('callbacks.month', { n: callbacks?.month.closed ?? 0 })}
      testId="wall-callbacks"
    >
      <Headline
        ctx={ctx}
        testId="wall-callbacks-closed"
        value={callbacks?.today.closed ?? 0}
        colour={WALL.green}
        after={t('callbacks.closed')}
      />
      {row(t('today'), callbacks?.today)}
      {row(t('month'), callbacks?.month)}
    </Panel>
  );
}

/** The supervision queue (督办): open tasks of every kind, overdue now, the kinds with most overdue. */
export function TasksPanel({ tasks, ctx }: { tasks: WallTasks | undefined; ctx: OptionContext }) {
  const { t } = ctx;
  const appT = useT();
  const overdue = tasks?.overdue ?? 0;
  return (
    <Panel
      ctx={ctx}
      title={t('tasks.title')}
      extra={t('handoffs.open', { n: tasks?.open ?? 0 })}
      testId="wall-tasks"
    >
      <Headline
        ctx={ctx}
        testId="wall-tasks-overdue"
        value={overdue}
        colour={overdue > 0 ? WALL.red : WALL.green}
        after={t('handoffs.overdue')}
      />
      {tasks?.byKind.length === 0 && <Empty ctx={ctx} />}
      {(tasks?.byKind ?? []).slice(0, LIST_ROWS).map((k) => (
        <Row
          key={k.kind}
          ctx={ctx}
          columns="minmax(0, 1fr) auto auto"
          cells={[
            [appT(`taskQueue.kind.${k.kind}` as 'taskQueue.kind.freeze'), WALL.text],
            [t('tasks.open', { n: k.open }), WALL.muted],
            [t('tasks.overdue', { n: k.overdue }), k.overdue > 0 ? WALL.red : WALL.muted],
          ]}
        />
      ))}
    </Panel>
  );
}

/** Case linking (串并案): gangs being worked, those grown past the alert size, reports linked today. */
export function InvestigationPanel({
  investigation,
  ctx,
}: {
  investigation: WallInvestigation | undefined;
  ctx: OptionContext;
}) {
  const { t } = ctx;
  const alerted = investigation?.alertedClusters ?? 0;
  return (
    <Panel
      ctx={ctx}
      title={t('investigation.title')}
      extra={t('investigation.linkedToday', { n: investigation?.linkedToday ?? 0 })}
      testId="wall-investigation"
    >
      <Row
        ctx={ctx}
        columns="minmax(0, 1fr) auto"
        cells={[
          [t('investigation.open', { n: investigation?.openClusters ?? 0 }), WALL.accent],
          [t('investigation.alerted', { n: alerted }), alerted > 0 ? WALL.red : WALL.muted],
        ]}
      />
    </Panel>
  );
}
