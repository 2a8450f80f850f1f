import type { ClusterDetail } from '@fanzha/contracts';
import { Alert, App, Checkbox, Flex, Input, Modal, Select, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { countyName } from '../county/county-queue';
import { useClusterDecision, useClusters } from './use-analysis';

export type DialogKind = 'confirm' | 'split' | 'merge' | 'hand-off';
export interface DialogState {
  kind: DialogKind;
  /** A split opened from a link: the report proposed to leave (the analyst may pick others). */
  leaving?: string[];
  /** A split opened from a link: the two reports, for the dialog's sentence. */
  pair?: [string, string];
}

const DUE_DAYS = [7, 15, 30];
const DAY_MS = 86_400_000;
/** A short, readable name for a cluster: its id's first eight characters. */
export const clusterName = (id: string) => id.slice(0, 8).toUpperCase();

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <Flex vertical gap={4} style={{ marginBottom: 12 }}>
      <label htmlFor={id}>{label}</label>
      {children}
    </Flex>
  );
}

/** Confirm, split, merge or hand off a cluster: each with its reason, which the history and the audit keep. */
export function ClusterDialog({
  detail,
  state,
  onClose,
}: {
  detail: ClusterDetail;
  state: DialogState;
  onClose: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const decision = useClusterDecision();
  const [key] = useState(() => crypto.randomUUID());
  const [reason, setReason] = useState('');
  const [isShowingProblems, setShowingProblems] = useState(false);
  const [leaving, setLeaving] = useState<string[]>(state.leaving ?? []);
  const [mergeIds, setMergeIds] = useState<string[]>([]);
  const counties = detail.profile.counties.map((c) => c.code);
  const [unit, setUnit] = useState<string>(counties[0] ?? 'centre');
  const [dueDays, setDueDays] = useState(15);
  const others = useClusters({});
  const id = detail.cluster.id;
  const name = clusterName(id);
  const numberOf = new Map(detail.reports.map((r) => [r.id, r.number]));

  const isReasonMissing = reason.trim() === '';
  const isIncomplete =
    isReasonMissing ||
    (state.kind === 'split' && leaving.length === 0) ||
    (state.kind === 'merge' && mergeIds.length === 0);

  const submit = () => {
    setShowingProblems(true);
    if (isIncomplete) return;
    const why = reason.trim();
    const input =
      state.kind === 'confirm'
        ? { action: 'confirm' as const, id, reason: why }
        : state.kind === 'split'
          ? { action: 'split' as const, id, reportIds: leaving, reason: why }
          : state.kind === 'merge'
            ? { action: 'merge' as const, clusterIds: [id, ...mergeIds], reason: why }
            : {
                action: 'hand-off' as const,
                id,
                unitKind: unit === 'centre' ? ('centre' as const) : ('county' as const),
                unitCode: unit,
                dueAt: new Date(Date.now() + dueDays * DAY_MS).toISOString(),
                reason: why,
              };
    decision.mutate(
      { ...input, key },
      {
        onSuccess: () => {
          void message.success(t('analysis.action.done'));
          onClose();
        },
      },
    );
  };

  const title =
    state.kind === 'confirm'
      ? t('analysis.dialog.confirm.title', { name })
      : state.kind === 'split'
        ? t('analysis.dialog.split.title')
        : state.kind === 'merge'
          ? t('analysis.dialog.merge.title')
          : t('analysis.dialog.handOff.title');

  return (
    <Modal
      open
      title={title}
      width={560}
      destroyOnHidden
      onCancel={onClose}
      onOk={submit}
      okText={t('analysis.dialog.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        loading: decision.isPending,
        danger: state.kind === 'split',
        'data-testid': 'cluster-dialog-ok',
      }}
    >
      <div data-testid={`cluster-dialog-${state.kind}`}>
        {state.kind === 'confirm' && (
          <Typography.Paragraph>{t('analysis.dialog.confirm.body')}</Typography.Paragraph>
        )}
        {state.kind === 'split' && (
          <>
            {state.pair && (
              <Typography.Paragraph>
                {t('analysis.dialog.split.body', {
                  a: numberOf.get(state.pair[0]) ?? '',
                  b: numberOf.get(state.pair[1]) ?? '',
                })}
              </Typography.Paragraph>
            )}
            <Flex vertical gap={4} style={{ marginBottom: 12 }} role="group" aria-labelledby="split-reports">
              <span id="split-reports">{t('analysis.dialog.split.leaving')}</span>
              <Checkbox.Group
                value={leaving}
                onChange={(v) => setLeaving(v)}
                options={detail.reports.map((r) => ({
                  value: r.id,
                  label: <span data-testid={`split-report-${r.number}`}>{r.number}</span>,
                }))}
              />
            </Flex>
          </>
        )}
        {state.kind === 'merge' && (
          <Field id="merge-clusters" label={t('analysis.dialog.merge.into')}>
            <Select
              id="merge-clusters"
              mode="multiple"
              value={mergeIds}
              onChange={setMergeIds}
              loading={others.isPending}
              options={(others.data?.clusters ?? [])
                .filter((c) => c.id !== id && c.status !== 'handed_off')
                .map((c) => ({ value: c.id, label: `${clusterName(c.id)} · ${c.reportCount}` }))}
            />
          </Field>
        )}
        {state.kind === 'hand-off' && (
          <Flex gap={12}>
            <Field id="hand-off-unit" label={t('analysis.dialog.handOff.unit')}>
              <Select
                id="hand-off-unit"
                value={unit}
                onChange={setUnit}
                style={{ minWidth: 220 }}
                options={[
                  ...counties.map((code) => ({ value: code, label: countyName(code) })),
                  { value: 'centre', label: t('analysis.dialog.handOff.centre') },
                ]}
              />
            </Field>
            <Field id="hand-off-due" label={t('analysis.dialog.handOff.due')}>
              <Select
                id="hand-off-due"
                value={dueDays}
                onChange={setDueDays}
                style={{ minWidth: 120 }}
                options={DUE_DAYS.map((days) => ({
                  value: days,
                  label: t('analysis.dialog.handOff.dueDays', { days }),
                }))}
              />
            </Field>
          </Flex>
        )}
        <Field id="cluster-reason" label={t('analysis.dialog.reason')}>
          <Input.TextArea
            id="cluster-reason"
            data-testid="cluster-reason"
            rows={3}
            maxLength={500}
            value={reason}
            status={isShowingProblems && isReasonMissing ? 'error' : undefined}
            aria-required
            aria-invalid={isShowingProblems && isReasonMissing}
            onChange={(e) => setReason(e.target.value)}
          />
          {isShowingProblems && isReasonMissing && (
            <Typography.Text type="danger" role="alert">
              {t('analysis.dialog.reason.required')}
            </Typography.Text>
          )}
        </Field>
        {decision.error && <Alert type="error" showIcon title={errorText(locale, decision.error)} />}
      </div>
    </Modal>
  );
}
