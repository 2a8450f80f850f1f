import type { FreezeView, FundDecisionView, StopPaymentView } from '@fanzha/contracts';
import type { FundDecisionKind } from '@fanzha/domain';
import { Alert, Input } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime, formatYuan } from '../../ui';
import {
  ProposeDialog,
  RejectDialog,
  AccountSummary,
  ReasonFields,
  Shell,
  type Close,
  Field,
  newFreezeForm,
  newRenewForm,
  toFreezeRequest,
  toRenewRequest,
  type FormErrors,
  type FreezeForm,
  type RenewForm,
  useFreeze,
  useRenewFreeze,
  useRestop,
} from '../../case';

export type MeasureAction =
  | { kind: 'freeze'; request: StopPaymentView }
  | { kind: 'renew'; request: StopPaymentView; freeze: FreezeView }
  | { kind: 'restop'; request: StopPaymentView }
  | { kind: 'propose'; request: StopPaymentView; freeze: FreezeView; decisionKind: FundDecisionKind }
  | { kind: 'reject'; decision: FundDecisionView };

function FreezeDialog({ request, onClose }: { request: StopPaymentView; onClose: Close }) {
  const t = useT();
  const [form, setForm] = useState<FreezeForm>(() =>
    newFreezeForm(request, new Date(), t('restriction.appealDefault')),
  );
  const [errors, setErrors] = useState<FormErrors>(new Map());
  const freeze = useFreeze();
  const set = (p: Partial<FreezeForm>) => setForm((f) => ({ ...f, ...p }));
  const submit = () => {
    const result = toFreezeRequest(form, request, new Date());
    if (!result.ok) return setErrors(result.errors);
    setErrors(new Map());
    freeze.mutate({ id: request.id, body: result.body }, { onSuccess: () => onClose(true) });
  };
  return (
    <Shell
      title={t('freeze.title')}
      onClose={onClose}
      onOk={submit}
      isPending={freeze.isPending}
      error={freeze.error}
      okText={t('freeze.submit')}
    >
      <AccountSummary r={request} />
      <Field label={t('freeze.decisionNumber')} errors={errors} name="decisionNumber">
        <Input
          autoFocus
          value={form.decisionNumber}
          placeholder={t('freeze.decisionNumber.placeholder')}
          onChange={(e) => set({ decisionNumber: e.target.value })}
          data-testid="freeze-decision-number"
        />
      </Field>
      <Field
        label={t('freeze.amount')}
        errors={errors}
        name="amount"
        hint={t('freeze.amount.hint', { max: formatYuan(request.amountFen) })}
      >
        <Input
          prefix="¥"
          value={form.amount}
          style={MONO_STYLE}
          onChange={(e) => set({ amount: e.target.value })}
          data-testid="freeze-amount"
        />
      </Field>
      <Field label={t('freeze.endsOn')} errors={errors} name="endsOn" hint={t('freeze.endsOn.hint')}>
        <Input
          type="date"
          value={form.endsOn}
          onChange={(e) => set({ endsOn: e.target.value })}
          data-testid="freeze-ends-on"
        />
      </Field>
      <ReasonFields form={form} errors={errors} onChange={set} />
    </Shell>
  );
}

function RenewDialog({
  request,
  freeze,
  onClose,
}: {
  request: StopPaymentView;
  freeze: FreezeView;
  onClose: Close;
}) {
  const t = useT();
  const [form, setForm] = useState<RenewForm>(() => newRenewForm(freeze));
  const [errors, setErrors] = useState<FormErrors>(new Map());
  const renew = useRenewFreeze();
  const submit = () => {
    const result = toRenewRequest(form, freeze);
    if (!result.ok) return setErrors(result.errors);
    setErrors(new Map());
    renew.mutate({ freezeId: freeze.id, body: result.body }, { onSuccess: () => onClose(true) });
  };
  return (
    <Shell
      title={t('renew.title')}
      onClose={onClose}
      onOk={submit}
      isPending={renew.isPending}
      error={renew.error}
      okText={t('renew.submit')}
    >
      <AccountSummary r={request} />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t('renew.current', {
          number: freeze.decisionNumber,
          amount: formatYuan(freeze.amountFen),
          end: formatCentreTime(freeze.endsAt),
        })}
      />
      <Field label={t('renew.decisionNumber')} errors={errors} name="decisionNumber">
        <Input
          autoFocus
          value={form.decisionNumber}
          onChange={(e) => setForm((f) => ({ ...f, decisionNumber: e.target.value }))}
          data-testid="renew-decision-number"
        />
      </Field>
      <Field label={t('renew.endsOn')} errors={errors} name="endsOn">
        <Input
          type="date"
          value={form.endsOn}
          onChange={(e) => setForm((f) => ({ ...f, endsOn: e.target.value }))}
          data-testid="renew-ends-on"
        />
      </Field>
    </Shell>
  );
}

function RestopDialog({ request, onClose }: { request: StopPaymentView; onClose: Close }) {
  const t = useT();
  const [doc, setDoc] = useState('');
  const [isTouched, setTouched] = useState(false);
  const restop = useRestop();
  const isValid = doc.trim().length >= 4;
  const submit = () => {
    setTouched(true);
    if (isValid)
      restop.mutate({ id: request.id, legalDocNumber: doc.trim() }, { onSuccess: () => onClose(true) });
  };
  return (
    <Shell
      title={t('restop.title')}
      onClose={onClose}
      onOk={submit}
      isPending={restop.isPending}
      error={restop.error}
      okText={t('restop.submit')}
      isDanger
    >
      <AccountSummary r={request} />
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('restop.rule')} />
      <Field
        label={t('desk.send.legalDoc')}
        errors={isTouched && !isValid ? new Map([['doc', doc.trim() ? 'short' : 'required']]) : undefined}
        name="doc"
      >
        <Input
          autoFocus
          value={doc}
          onChange={(e) => setDoc(e.target.value)}
          onPressEnter={submit}
          data-testid="restop-legal-doc"
        />
      </Field>
    </Shell>
  );
}

/** The open dialog for one action on an account's money, or nothing. */
export function MeasureDialog({
  action,
  payee,
  onClose,
}: {
  action: MeasureAction;
  /** The victim's account and name, to prefill a return. */
  payee: { account: string; name: string };
  onClose: Close;
}) {
  switch (action.kind) {
    case 'freeze':
      return <FreezeDialog request={action.request} onClose={onClose} />;
    case 'renew':
      return <RenewDialog request={action.request} freeze={action.freeze} onClose={onClose} />;
    case 'restop':
      return <RestopDialog request={action.request} onClose={onClose} />;
    case 'propose':
      return (
        <ProposeDialog
          request={action.request}
          freeze={action.freeze}
          decisionKind={action.decisionKind}
          payee={payee}
          onClose={onClose}
        />
      );
    case 'reject':
      return <RejectDialog decision={action.decision} onClose={onClose} />;
  }
}
