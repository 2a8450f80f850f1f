import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  stopFailureReasonNamesZh,
  stopFailureReasons,
  validateBankCard,
  type StopFailureReason,
} from '@fanzha/domain';
import { Alert, Button, Col, Drawer, Flex, Input, Radio, Row, Select, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useLocale, useT } from '../../i18n';
import { MONO_STYLE, TEXT_COLOURS } from '../../ui';
import {
  emptyAnswer,
  emptyOnward,
  toResultRequest,
  type AnswerErrors,
  type AnswerForm,
  type OnwardRow,
} from './answer-form';
import { Field, InstructionSummary, useErrorText } from './bank-form-parts';
import { factsOf, idOf, type BankItem } from './bank-queue';
import { idempotencyKeyFor } from './idempotency-key';
import { useAnswer } from './use-bank';

function OnwardFields({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: OnwardRow;
  index: number;
  errors: AnswerErrors;
  onChange: (patch: Partial<OnwardRow>) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const digits = row.account.replace(/[\s-]/g, '');
  const card = digits ? validateBankCard(digits) : undefined;
  const err = (f: string) => errorText(errors.get(`onward.${row.key}.${f}`));
  const id = `bank-onward-${index}`;
  return (
    <Row gutter={8} align="top">
      <Col flex="auto">
        <Field label={t('bank.onward.account')} error={err('account')}>
          <Input
            value={row.account}
            onChange={(e) => onChange({ account: e.target.value })}
            data-testid={`${id}-account`}
            style={MONO_STYLE}
            status={err('account') ? 'error' : undefined}
          />
        </Field>
        <div
          style={{ marginTop: -18, minHeight: 18, fontSize: 12, color: TEXT_COLOURS.ok }}
          data-testid={`${id}-bank`}
        >
          {card?.ok ? card.value.bankNameZh : ''}
        </div>
      </Col>
      <Col flex="110px">
        <Field label={t('bank.onward.name')}>
          <Input
            value={row.name}
            onChange={(e) => onChange({ name: e.target.value })}
            data-testid={`${id}-name`}
          />
        </Field>
      </Col>
      <Col flex="120px">
        <Field label={t('bank.onward.amount')} error={err('amount')}>
          <Input
            prefix="¥"
            value={row.amount}
            onChange={(e) => onChange({ amount: e.target.value })}
            data-testid={`${id}-amount`}
            style={MONO_STYLE}
            status={err('amount') ? 'error' : undefined}
          />
        </Field>
      </Col>
      <Col flex="110px">
        <Field label={t('bank.onward.time')} error={err('time')}>
          <Input
            placeholder="14:32"
            value={row.time}
            onChange={(e) => onChange({ time: e.target.value })}
            data-testid={`${id}-time`}
            style={MONO_STYLE}
            status={err('time') ? 'error' : undefined}
          />
        </Field>
      </Col>
      <Col flex="none" style={{ paddingTop: 20 }}>
        <Button
          type="text"
          tabIndex={-1}
          icon={<DeleteOutlined />}
          onClick={onRemove}
          aria-label={t('bank.onward.remove')}
        />
      </Col>
    </Row>
  );
}

/**
 * The bank's answer to an emergency stop: stopped (how much, the balance, when) or not (why), and where
 * money went on.
 */
export function AnswerDrawer({
  item,
  ownBank,
  onClose,
}: {
  item: BankItem;
  ownBank: string | null;
  onClose: (done: boolean) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const [form, setForm] = useState<AnswerForm>(emptyAnswer);
  const [errors, setErrors] = useState<AnswerErrors>(new Map());
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const answer = useAnswer(ownBank);
  const patch = (p: Partial<AnswerForm>) => setForm((f) => ({ ...f, ...p }));
  const patchOnward = (key: string, p: Partial<OnwardRow>) =>
    setForm((f) => ({ ...f, onward: f.onward.map((r) => (r.key === key ? { ...r, ...p } : r)) }));

  const submit = () => {
    if (answer.isPending) return;
    const result = toResultRequest(form, new Date());
    if (!result.ok) return setErrors(result.errors);
    setErrors(new Map());
    const body = JSON.stringify(result.body);
    attempt.current = idempotencyKeyFor(attempt.current, body, () => crypto.randomUUID());
    answer.mutate(
      { id: idOf(item), body: result.body, idempotencyKey: attempt.current.key },
      { onSuccess: () => onClose(true) },
    );
  };
  const err = (f: string) => errorText(errors.get(f));

  return (
    <Drawer
      open
      size="large"
      title={t('bank.answer.title')}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button type="primary" loading={answer.isPending} onClick={submit} data-testid="bank-answer-submit">
            {t('bank.answer.submit')}
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
        <InstructionSummary facts={factsOf(item)} />
        <Radio.Group
          value={form.outcome}
          onChange={(e) => patch({ outcome: e.target.value as AnswerForm['outcome'] })}
          optionType="button"
          buttonStyle="solid"
          style={{ marginBottom: 12 }}
        >
          <Radio.Button value="stopped">
            <span data-testid="bank-outcome-stopped">{t('bank.outcome.stopped')}</span>
          </Radio.Button>
          <Radio.Button value="failed">
            <span data-testid="bank-outcome-failed">{t('bank.outcome.failed')}</span>
          </Radio.Button>
        </Radio.Group>
        <Row gutter={12}>
          {form.outcome === 'stopped' ? (
            <>
              <Col span={8}>
                <Field label={t('bank.stoppedAmount')} error={err('stopped')}>
                  <Input
                    autoFocus
                    prefix="¥"
                    value={form.stopped}
                    onChange={(e) => patch({ stopped: e.target.value })}
                    data-testid="bank-stopped-amount"
                    style={MONO_STYLE}
                    status={err('stopped') ? 'error' : undefined}
                  />
                </Field>
              </Col>
              <Col span={8}>
                <Field label={t('bank.stoppedAt')} error={err('stoppedAt')}>
                  <Input
                    placeholder={t('bank.time.now')}
                    value={form.stoppedAt}
                    onChange={(e) => patch({ stoppedAt: e.target.value })}
                    data-testid="bank-stopped-at"
                    style={MONO_STYLE}
                    status={err('stoppedAt') ? 'error' : undefined}
                  />
                </Field>
              </Col>
            </>
          ) : (
            <Col span={16}>
              <Field label={t('bank.failureReason')} error={err('failureReason')}>
                <Select
                  value={form.failureReason}
                  style={{ width: '100%' }}
                  status={err('failureReason') ? 'error' : undefined}
                  onChange={(value: StopFailureReason) => patch({ failureReason: value })}
                  options={stopFailureReasons.map((r) => ({
                    value: r,
                    label: locale === 'zh-CN' ? stopFailureReasonNamesZh[r] : r,
                  }))}
                  data-testid="bank-failure-reason"
                />
              </Field>
            </Col>
          )}
          <Col span={8}>
            <Field label={t('bank.balance')} error={err('balance')}>
              <Input
                prefix="¥"
                value={form.balance}
                onChange={(e) => patch({ balance: e.target.value })}
                data-testid="bank-balance"
                style={MONO_STYLE}
              />
            </Field>
          </Col>
          <Col span={24}>
            <Field label={t('bank.note')} error={err('note')}>
              <Input
                value={form.note}
                onChange={(e) => patch({ note: e.target.value })}
                data-testid="bank-note"
                status={err('note') ? 'error' : undefined}
              />
            </Field>
          </Col>
          <Col span={24}>
            <Field label={t('bank.holderIdNumber')} error={err('holderIdNumber')}>
              <Input
                value={form.holderIdNumber}
                onChange={(e) => patch({ holderIdNumber: e.target.value })}
                placeholder={t('bank.holderIdNumber.hint')}
                data-testid="bank-holder-id-number"
                status={err('holderIdNumber') ? 'error' : undefined}
                style={MONO_STYLE}
              />
            </Field>
          </Col>
        </Row>
        <Flex justify="space-between" align="center" style={{ margin: '8px 0' }}>
          <Typography.Text strong>{t('bank.onward')}</Typography.Text>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => patch({ onward: [...form.onward, emptyOnward()] })}
            data-testid="bank-onward-add"
          >
            {t('bank.onward.add')}
          </Button>
        </Flex>
        {form.onward.length === 0 ? (
          <Typography.Text type="secondary">{t('bank.onward.none')}</Typography.Text>
        ) : (
          form.onward.map((r, i) => (
            <OnwardFields
              key={r.key}
              row={r}
              index={i}
              errors={errors}
              onChange={(p) => patchOnward(r.key, p)}
              onRemove={() => patch({ onward: form.onward.filter((o) => o.key !== r.key) })}
            />
          ))
        )}
        {answer.isError && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={t('bank.answer.failed')}
            description={answer.error.message}
          />
        )}
      </div>
    </Drawer>
  );
}
