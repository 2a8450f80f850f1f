import type { TwoCardHolderSummary, TwoCardMeasureView } from '@fanzha/contracts';
import { twoCardMeasureKinds, type TwoCardMeasureKind } from '@fanzha/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';

/** After a measure is recorded or lifted: the holders' counts and the measures in force change. */
function useInvalidateTwoCards() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['/api/two-cards/holders'] });
    void client.invalidateQueries({ queryKey: ['/api/two-cards/measures'] });
  };
}

/** A measure (惩戒措施) against a holder, in force from now; one Idempotency-Key per dialog. */
export function RecordMeasureDialog({
  holder,
  onClose,
}: {
  holder: TwoCardHolderSummary;
  onClose: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const invalidate = useInvalidateTwoCards();
  const [kind, setKind] = useState<TwoCardMeasureKind>(twoCardMeasureKinds[0]);
  const [unit, setUnit] = useState('');
  const [reason, setReason] = useState('');
  const [isTried, setTried] = useState(false);
  const [key] = useState(() => crypto.randomUUID());
  const record = useMutation({
    mutationFn: () =>
      api.POST('/api/two-cards/holders/{id}/measures', {
        params: { path: { id: holder.id }, header: { 'idempotency-key': key } },
        body: { kind, startsAt: new Date().toISOString(), reason: reason.trim(), decidingUnit: unit.trim() },
      }),
    onSuccess: () => {
      invalidate();
      void message.success(t('twoCards.measure.recorded'));
      onClose();
    },
  });
  const isMissing = isTried && (!unit.trim() || !reason.trim());
  return (
    <Modal
      open
      title={`${t('twoCards.measure.title')} · ${holder.idNumberMasked}`}
      okText={t('twoCards.measure.record')}
      okButtonProps={{ loading: record.isPending, 'data-testid': 'two-cards-measure-ok' }}
      onOk={() => {
        setTried(true);
        if (unit.trim() && reason.trim()) record.mutate();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('twoCards.col.kind')} required>
          <Select<TwoCardMeasureKind>
            aria-label={t('twoCards.col.kind')}
            value={kind}
            onChange={setKind}
            options={twoCardMeasureKinds.map((k) => ({ value: k, label: t(`twoCards.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('twoCards.measure.unit')}
          required
          validateStatus={isMissing && !unit.trim() ? 'error' : undefined}
        >
          <Input value={unit} maxLength={100} onChange={(e) => setUnit(e.target.value)} />
        </Form.Item>
        <Form.Item
          label={t('twoCards.measure.reason')}
          required
          validateStatus={isMissing && !reason.trim() ? 'error' : undefined}
          help={isMissing ? <span role="alert">{t('twoCards.measure.required')}</span> : undefined}
        >
          <Input.TextArea
            value={reason}
            maxLength={500}
            rows={3}
            onChange={(e) => setReason(e.target.value)}
          />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('twoCards.measure.startsNow')}</Typography.Text>
      {record.error && (
        <Alert type="error" showIcon title={errorText(locale, record.error)} style={{ marginTop: 8 }} />
      )}
    </Modal>
  );
}

/** Lifts a measure pending or in force, with the reason. */
export function LiftMeasureDialog({
  measure,
  onClose,
}: {
  measure: TwoCardMeasureView;
  onClose: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const invalidate = useInvalidateTwoCards();
  const [reason, setReason] = useState('');
  const lift = useMutation({
    mutationFn: () =>
      api.POST('/api/two-cards/measures/{id}/lift', {
        params: { path: { id: measure.id } },
        body: { reason: reason.trim() },
      }),
    onSuccess: () => {
      invalidate();
      void message.success(t('twoCards.measure.lifted'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={`${t('twoCards.measure.liftTitle')} · ${t(`twoCards.kind.${measure.kind}`)}`}
      okText={t('twoCards.measure.lift')}
      okButtonProps={{ disabled: !reason.trim(), loading: lift.isPending }}
      onOk={() => lift.mutate()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Input.TextArea
        aria-label={t('twoCards.measure.liftReason')}
        placeholder={t('twoCards.measure.liftReason')}
        value={reason}
        maxLength={500}
        rows={3}
        onChange={(e) => setReason(e.target.value)}
      />
      {lift.error && (
        <Alert type="error" showIcon title={errorText(locale, lift.error)} style={{ marginTop: 8 }} />
      )}
    </Modal>
  );
}
