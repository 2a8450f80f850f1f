import type { FreezeView, FundDecisionView, StopPaymentView } from '@fanzha/contracts';
import type { FundDecisionKind } from '@fanzha/domain';
import { listBanks } from '@fanzha/domain';
import { Alert, Input, Select } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n';
import { MONO_STYLE, formatYuan } from '../ui';
import { AccountSummary, ReasonFields, Shell, type Close } from './dialog-parts';
import { Field } from './form-field';
import {
  freeToDecide,
  newDecisionForm,
  payeeBankFromBin,
  toDecisionRequest,
  type DecisionForm,
  type FormErrors,
} from './freeze-forms';

const BANK_OPTIONS = listBanks().map((b) => ({ value: b.code, label: `${b.nameZh} (${b.code})` }));
import { useDecide, useProposeDecision } from './use-freezes';

/** Propose a release (解冻) or a return (资金返还) of frozen funds; another approver decides. */
export function ProposeDialog({
  request,
  freeze,
  decisionKind,
  payee,
  onClose,
}: {
  request: StopPaymentView;
  freeze: FreezeView;
  decisionKind: FundDecisionKind;
  payee: { account: string; name: string };
  onClose: Close;
}) {
  const t = useT();
  const [form, setForm] = useState<DecisionForm>(() =>
    newDecisionForm(decisionKind, freeze, t('restriction.appealDefault'), payee.account, payee.name),
  );
  const { availableFen, heldFen } = freeToDecide(freeze);
  const digits = form.victimAccount.replace(/[\s-]/g, '');
  const binBank = digits.length >= 8 ? payeeBankFromBin(digits) : null;
  const [errors, setErrors] = useState<FormErrors>(new Map());
  const propose = useProposeDecision();
  const set = (p: Partial<DecisionForm>) => setForm((f) => ({ ...f, ...p }));
  const submit = () => {
    const result = toDecisionRequest(form, freeze);
    if (!result.ok) return setErrors(result.errors);
    setErrors(new Map());
    propose.mutate({ freezeId: freeze.id, body: result.body }, { onSuccess: () => onClose(true) });
  };
  return (
    <Shell
      title={t(`decision.propose.${decisionKind}`)}
      onClose={onClose}
      onOk={submit}
      isPending={propose.isPending}
      error={propose.error}
      okText={t('decision.propose.submit')}
    >
      <AccountSummary r={request} />
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('decision.twoPeople')} />
      <Field
        label={t('decision.amount')}
        errors={errors}
        name="amount"
        hint={
          heldFen > 0
            ? t('decision.amount.available', { max: formatYuan(availableFen), held: formatYuan(heldFen) })
            : t('decision.amount.hint', { max: formatYuan(availableFen) })
        }
      >
        <Input
          prefix="¥"
          style={MONO_STYLE}
          value={form.amount}
          onChange={(e) => set({ amount: e.target.value })}
          data-testid="decision-amount"
        />
      </Field>
      {decisionKind === 'return' && (
        <>
          <Field
            label={t('decision.victimAccount')}
            errors={errors}
            name="victimAccount"
            hint={binBank ? t('decision.payeeBank.fromBin', { bank: binBank.nameZh }) : undefined}
          >
            <Input
              style={MONO_STYLE}
              value={form.victimAccount}
              onChange={(e) => set({ victimAccount: e.target.value })}
              data-testid="decision-victim-account"
            />
          </Field>
          <Field label={t('decision.payeeName')} errors={errors} name="payeeName">
            <Input
              value={form.payeeName}
              onChange={(e) => set({ payeeName: e.target.value })}
              data-testid="decision-payee-name"
            />
          </Field>
          {digits.length >= 8 && !binBank && (
            <Field
              label={t('decision.payeeBank')}
              errors={errors}
              name="payeeBankCode"
              hint={t('decision.payeeBank.unknown')}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: '100%' }}
                value={form.payeeBankCode || undefined}
                onChange={(code: string) => set({ payeeBankCode: code })}
                options={BANK_OPTIONS}
                data-testid="decision-payee-bank"
              />
            </Field>
          )}
        </>
      )}
      <Field label={t('decision.decisionNumber')} errors={errors} name="decisionNumber">
        <Input
          value={form.decisionNumber}
          onChange={(e) => set({ decisionNumber: e.target.value })}
          data-testid="decision-number"
        />
      </Field>
      <ReasonFields form={form} errors={errors} onChange={set} />
    </Shell>
  );
}

export function RejectDialog({ decision, onClose }: { decision: FundDecisionView; onClose: Close }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [isTouched, setTouched] = useState(false);
  const decide = useDecide();
  const isValid = reason.trim().length >= 2;
  const submit = () => {
    setTouched(true);
    if (isValid)
      decide.mutate(
        { id: decision.id, verdict: 'reject', reason: reason.trim() },
        { onSuccess: () => onClose(true) },
      );
  };
  return (
    <Shell
      title={t('decision.reject.title')}
      onClose={onClose}
      onOk={submit}
      isPending={decide.isPending}
      error={decide.error}
      okText={t('decision.reject')}
      isDanger
    >
      <Alert
        type="info"
        style={{ marginBottom: 12 }}
        title={t('decision.summary', {
          kind: t(`decision.kind.${decision.kind}`),
          amount: formatYuan(decision.amountFen),
          number: decision.decisionNumber,
          by: decision.proposedBy,
        })}
      />
      <Field
        label={t('decision.reject.reason')}
        errors={
          isTouched && !isValid ? new Map([['reason', reason.trim() ? 'short' : 'required']]) : undefined
        }
        name="reason"
      >
        <Input.TextArea
          autoFocus
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reject-reason"
        />
      </Field>
    </Shell>
  );
}
