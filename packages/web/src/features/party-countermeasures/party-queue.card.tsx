import type { UseMutationResult } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Modal, Select, Table, Tag, type TableProps } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { errorText, formatDuration, useLocale, useT } from '../../i18n';
import { formatCentreTime, useNow } from '../../ui';

/** What a party sends back for one signed instruction: its answer, and why when it refuses. */
export interface PartyAnswerBody<A extends string, R extends string> {
  answer: A;
  refusalReason?: R;
}

/** The words a queue brings of its own; the answer column, the toast and the dialog's button are shared. */
export interface PartyQueueTexts<A extends string, R extends string> {
  title: string;
  empty: string;
  /** Shown when the queue could not be read, in place of the empty text ("none awaiting you" would be untrue). */
  loadError: string;
  /** Column titles. */
  kind: string;
  due: string;
  /** Appended to the kind of a lift. */
  lift: string;
  overdue: string;
  refuseTitle: string;
  answer: (answer: A) => string;
  refusal: (reason: R) => string;
}

export interface PartyQueueCardProps<
  Row extends { id: string; status: string },
  A extends string,
  R extends string,
  V extends { id: string; body: PartyAnswerBody<A, R> },
> {
  /**
   * The stem of the card's test ids: `<stem>-row-<id>` (with `data-status`), `<stem>-answer-<answer>`,
   * `<stem>-due` / `<stem>-overdue`, `<stem>-refuse-reason`, `<stem>-refuse-submit`, `<stem>-load-error`.
   */
  testIdStem: string;
  /** The table's own test id. */
  tableTestId: string;
  texts: PartyQueueTexts<A, R>;
  /** The queue as read (oldest first); it reloads itself when the live stream says so. */
  queue: {
    data?: { items: Row[] };
    isPending: boolean;
    isError: boolean;
    error: Error | null;
  };
  kindOf: (row: Row) => { label: string; lift: boolean };
  /** The queue's own columns, shown between the kind and the time left. */
  columns: NonNullable<TableProps<Row>['columns']>;
  dueOf: (row: Row, now: Date) => { at: string | null; overdue: boolean };
  /** What the party may answer from the row's status; `refused` opens the reason dialog. */
  answersFor: (row: Row) => readonly A[];
  refusalReasons: readonly R[];
  defaultRefusal: R;
  answer: Pick<UseMutationResult<unknown, Error, V>, 'mutate' | 'isPending' | 'variables'>;
  /** The mutation's variables for one click (an idempotency key, where the queue takes one, is made here). */
  variables: (id: string, body: PartyAnswerBody<A, R>) => V;
}

/**
 * A party's queue of signed instructions (a countermeasure, a two-cards measure), live and answered in place:
 * acknowledge, execute, lift, or refuse with a reason picked from the instruction's list.
 */
export function PartyQueueCard<
  Row extends { id: string; status: string },
  A extends string,
  R extends string,
  V extends { id: string; body: PartyAnswerBody<A, R> },
>(props: PartyQueueCardProps<Row, A, R, V>) {
  const { testIdStem: stem, texts, queue, answer } = props;
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const now = useNow();
  const [refusing, setRefusing] = useState<{ row: Row; answer: A } | null>(null);
  const [reason, setReason] = useState<R>(props.defaultRefusal);

  const send = (r: Row, a: A, why?: R) =>
    answer.mutate(props.variables(r.id, { answer: a, ...(why ? { refusalReason: why } : {}) }), {
      onSuccess: () => {
        void message.success(t('operator.answered.ok'));
        setRefusing(null);
      },
      onError: (error) => void message.error(error.message),
    });

  const rowProps = (r: Row) =>
    ({ 'data-testid': `${stem}-row-${r.id}`, 'data-status': r.status }) as HTMLAttributes<HTMLElement>;

  const columns: TableProps<Row>['columns'] = [
    {
      title: texts.kind,
      key: 'kind',
      render: (_, r) => {
        const { label, lift } = props.kindOf(r);
        return (
          <Tag color={lift ? 'blue' : 'red'}>
            {label}
            {lift ? texts.lift : ''}
          </Tag>
        );
      },
    },
    ...props.columns,
    {
      title: texts.due,
      key: 'due',
      render: (_, r) => {
        const due = props.dueOf(r, now);
        if (due.overdue)
          return (
            <Tag
              color="red"
              title={due.at ? formatCentreTime(due.at) : undefined}
              data-testid={`${stem}-overdue`}
            >
              {texts.overdue}
            </Tag>
          );
        if (!due.at) return '—';
        return (
          <span title={formatCentreTime(due.at)} data-testid={`${stem}-due`}>
            {formatDuration(Math.max(0, (Date.parse(due.at) - now.getTime()) / 1000), t)}
          </span>
        );
      },
    },
    {
      title: t('operator.col.result'),
      key: 'answer',
      render: (_, r) => (
        <Flex gap={4} wrap>
          {props.answersFor(r).map((a) => (
            <Button
              key={a}
              size="small"
              type={a === 'executed' || a === 'lifted' ? 'primary' : 'default'}
              danger={a === 'refused'}
              loading={
                answer.isPending && answer.variables?.id === r.id && answer.variables.body.answer === a
              }
              onClick={() => (a === 'refused' ? setRefusing({ row: r, answer: a }) : send(r, a))}
              data-testid={`${stem}-answer-${a}`}
            >
              {texts.answer(a)}
            </Button>
          ))}
        </Flex>
      ),
    },
  ];

  return (
    <Card size="small" title={texts.title} styles={{ body: { padding: 0 } }}>
      {queue.isError && (
        <Alert
          type="error"
          showIcon
          banner
          title={texts.loadError}
          description={errorText(locale, queue.error)}
          data-testid={`${stem}-load-error`}
        />
      )}
      <Table
        size="small"
        rowKey="id"
        dataSource={queue.data?.items ?? []}
        columns={columns}
        loading={queue.isPending}
        pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: queue.isError ? '—' : texts.empty }}
        onRow={rowProps}
        data-testid={props.tableTestId}
      />
      <Modal
        open={refusing !== null}
        title={texts.refuseTitle}
        okText={t('operator.refuse.submit')}
        okButtonProps={{ loading: answer.isPending, 'data-testid': `${stem}-refuse-submit` }}
        onOk={() => refusing && send(refusing.row, refusing.answer, reason)}
        onCancel={() => setRefusing(null)}
      >
        <Select<R>
          style={{ width: '100%' }}
          value={reason}
          onChange={setReason}
          options={props.refusalReasons.map((value) => ({ value, label: texts.refusal(value) }))}
          aria-label={texts.refuseTitle}
          data-testid={`${stem}-refuse-reason`}
        />
      </Modal>
    </Card>
  );
}
