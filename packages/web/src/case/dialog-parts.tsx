import type { StopPaymentView } from '@fanzha/contracts';
import { Descriptions, Input } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { DialogFrame, LayerTag, MONO_STYLE, formatCentreTime, formatYuan, groupDigits } from '../ui';
import { Field } from './form-field';
import type { FormErrors } from './freeze-forms';

export type Close = (done: boolean) => void;

/** The frame of the case kit's restriction and decision dialogs: the shared dialog frame, closed as not done. */
export function Shell({
  onClose,
  children,
  ...frame
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
  return (
    <DialogFrame
      {...frame}
      onCancel={() => onClose(false)}
      errorTitle={t('restriction.failed')}
      okTestId="restriction-submit"
    >
      {children}
    </DialogFrame>
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
