import type { MeasureConfirmationRequest } from '@fanzha/contracts';
import {
  holdFailureReasons,
  isHoldKind,
  measureFailureReasons,
  type MeasureFailureReason,
} from '@fanzha/domain';
import { Alert, Button, Col, Drawer, Flex, Input, Radio, Row, Select } from 'antd';
import { useRef, useState } from 'react';
import { useT } from '../../i18n';
import { MONO_STYLE, formatYuan } from '../../ui';
import { Field, InstructionSummary, useErrorText } from './bank-form-parts';
import { canFail, factsOf, idOf, movesMoney, type BankItem } from './bank-queue';
import {
  isPartial,
  newConfirmForm,
  toConfirmation,
  type ConfirmErrors,
  type ConfirmForm,
  type MeasureKind,
} from './confirm-form';
import { useConfirm } from './use-bank';

/**
 * The bank's confirmation of a freeze, renewal, release, return or lapse notice: what it actually did (the
 * amount may be less than instructed: the rest stays frozen), or that it could not, and why.
 */
export function ConfirmDrawer({
  item,
  ownBank,
  onClose,
}: {
  item: BankItem;
  ownBank: string | null;
  onClose: (done: boolean) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const facts = factsOf(item);
  const kind = item.kind as MeasureKind;
  const instructed = movesMoney(kind) ? facts.amountFen : null;
  const [form, setForm] = useState<ConfirmForm>(() => newConfirmForm(instructed));
  const [errors, setErrors] = useState<ConfirmErrors>(new Map());
  const sent = useRef<{ form: string; body: MeasureConfirmationRequest; key: string } | null>(null);
  const confirm = useConfirm(ownBank);
  const patch = (p: Partial<ConfirmForm>) => setForm((f) => ({ ...f, ...p }));
  const err = (f: string) => errorText(errors.get(f));

  const submit = () => {
    if (confirm.isPending) return;
    // A retry of the same form sends the very same body and key ("now" included): a lost response must
    // not turn into a second, different confirmation.
    const typed = JSON.stringify(form);
    if (sent.current?.form !== typed) {
      const result = toConfirmation(form, kind, instructed, new Date());
      if (!result.ok) return setErrors(result.errors);
      sent.current = { form: typed, body: result.body, key: crypto.randomUUID() };
    }
    setErrors(new Map());
    const { body, key } = sent.current;
    confirm.mutate({ id: idOf(item), body, idempotencyKey: key }, { onSuccess: () => onClose(true) });
  };

  return (
    <Drawer
      open
      size="large"
      title={t(`bank.confirm.title.${kind}`)}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={confirm.isPending}
            onClick={submit}
            data-testid="bank-confirm-submit"
          >
            {t('bank.confirm.submit')}
          </Button>
        </Flex>
      }
    >
      <div
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
      >
        <InstructionSummary facts={facts} />
        {canFail(kind) && (
          <Radio.Group
            value={form.isDone}
            onChange={(e) => patch({ isDone: e.target.value as boolean })}
            optionType="button"
            buttonStyle="solid"
            style={{ marginBottom: 12 }}
          >
            <Radio.Button value={true}>
              <span data-testid="bank-confirm-done">{t(`bank.confirm.done.${kind}`)}</span>
            </Radio.Button>
            <Radio.Button value={false}>
              <span data-testid="bank-confirm-failed">{t('bank.confirm.failed')}</span>
            </Radio.Button>
          </Radio.Group>
        )}
        {form.isDone ? (
          <Row gutter={12}>
            {movesMoney(kind) && (
              <Col span={8}>
                <Field label={t(`bank.confirm.amount.${kind}`)} error={err('amount')}>
                  <Input
                    autoFocus
                    prefix="¥"
                    value={form.amount}
                    onChange={(e) => patch({ amount: e.target.value })}
                    data-testid="bank-confirm-amount"
                    style={MONO_STYLE}
                    status={err('amount') ? 'error' : undefined}
                  />
                </Field>
              </Col>
            )}
            <Col span={8}>
              <Field label={t('bank.confirm.executedAt')} error={err('executedAt')}>
                <Input
                  placeholder={t('bank.time.now')}
                  value={form.executedAt}
                  onChange={(e) => patch({ executedAt: e.target.value })}
                  data-testid="bank-confirm-time"
                  style={MONO_STYLE}
                  status={err('executedAt') ? 'error' : undefined}
                />
              </Field>
            </Col>
            {kind === 'return' && (
              <Col span={8}>
                <Field label={t('returns.reference')} error={err('bankReference')}>
                  <Input
                    value={form.bankReference}
                    onChange={(e) => patch({ bankReference: e.target.value })}
                    data-testid="bank-confirm-reference"
                    style={MONO_STYLE}
                    status={err('bankReference') ? 'error' : undefined}
                  />
                </Field>
              </Col>
            )}
          </Row>
        ) : (
          <Field label={t('bank.failureReason')} error={err('failureReason')}>
            <Select
              value={form.failureReason}
              style={{ width: '100%' }}
              status={err('failureReason') ? 'error' : undefined}
              onChange={(value: MeasureFailureReason) => patch({ failureReason: value })}
              // A protective hold names a person, not money: only the reasons the server takes for it.
              options={(isHoldKind(kind) ? holdFailureReasons : measureFailureReasons).map((r) => ({
                value: r,
                label: t(`bank.measureFailure.${r}`),
              }))}
              data-testid="bank-confirm-reason"
            />
          </Field>
        )}
        <Field label={t('bank.note')} error={err('note')}>
          <Input
            value={form.note}
            onChange={(e) => patch({ note: e.target.value })}
            data-testid="bank-confirm-note"
            status={err('note') ? 'error' : undefined}
          />
        </Field>
        {isPartial(form, instructed) && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 4 }}
            data-testid="bank-confirm-partial"
            title={t('bank.confirm.partial', { instructed: formatYuan(instructed) })}
          />
        )}
        {confirm.isError && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={t('bank.answer.failed')}
            description={confirm.error.message}
          />
        )}
      </div>
    </Drawer>
  );
}
