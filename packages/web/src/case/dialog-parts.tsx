import type { StopPaymentView } from '@fanzha/contracts';
import { Alert, Button, Descriptions, Input, Modal } from 'antd';
import type { ReactNode } from 'react';
import { errorText, useLocale, useT } from '../i18n';
import { LayerTag, MONO_STYLE, formatCentreTime, formatYuan, groupDigits } from '../ui';
import { Field } from './form-field';
import type { FormErrors } from './freeze-forms';

export type Close = (done: boolean) => void;

/** A dialog's frame: title, the form, what went wrong, cancel and the one action. */
export function Shell({
  title,
  onClose,
  onOk,
  isPending,
  error,
  okText,
  isDanger,
  children,
}: {
  title: string;
  onClose: Close;
  onOk: () => void;
  isPending: boolean;
  error: Error | null;
  okText: string;
  isDanger?: boolean;
  children: ReactNode;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Modal
      open
      title={title}
      width={560}
      destroyOnHidden
      onCancel={() => onClose(false)}
      footer={[
        <Button key="cancel" onClick={() => onClose(false)}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={isDanger}
          loading={isPending}
          onClick={onOk}
          data-testid="restriction-submit"
        >
          {okText}
        </Button>,
      ]}
    >
      {children}
      {error && (
        <Alert type="error" showIcon title={t('restriction.failed')} description={errorText(locale, error)} />
      )}
    </Modal>
  );
}

export function AccountSummary({ r }: { r: StopPaymentView }) {
  const t = useT();
  const stopped = r.result?.outcome === 'stopped' ? r.result.stoppedFen : null;
  return (
    <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('desk.col.account')} span={2}>
        <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(r.account.number)}</span>{' '}
        <LayerTag layer={r.layer} /> {r.account.bankName ?? r.account.bankCode}
      </Descriptions.Item>
      <Descriptions.Item label={t('trail.amountIn')}>{formatYuan(r.amountFen)}</Descriptions.Item>
      <Descriptions.Item label={t('trail.stopped')}>{formatYuan(stopped)}</Descriptions.Item>
      {r.expiresAt && (
        <Descriptions.Item label={t('trail.lapsesAt')} span={2}>
          {formatCentreTime(r.expiresAt, true)}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

export function ReasonFields({
  form,
  errors,
  onChange,
}: {
  form: { reason: string; appealChannel: string };
  errors: FormErrors;
  onChange: (p: { reason?: string; appealChannel?: string }) => void;
}) {
  const t = useT();
  return (
    <>
      <Field label={t('restriction.reason')} errors={errors} name="reason">
        <Input.TextArea
          rows={2}
          value={form.reason}
          onChange={(e) => onChange({ reason: e.target.value })}
          data-testid="restriction-reason"
        />
      </Field>
      <Field label={t('restriction.appealChannel')} errors={errors} name="appealChannel">
        <Input
          value={form.appealChannel}
          onChange={(e) => onChange({ appealChannel: e.target.value })}
          data-testid="restriction-appeal"
        />
      </Field>
    </>
  );
}
