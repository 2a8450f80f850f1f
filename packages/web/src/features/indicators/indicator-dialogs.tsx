import type { IndicatorView } from '@fanzha/contracts';
import { countermeasureKindNamesZh, listBanks, operators } from '@fanzha/domain';
import { Alert, App, Button, Flex, Form, Input, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { DialogFrame, MONO_STYLE } from '../../ui';
import {
  bankOfAccount,
  countermeasureKindFor,
  partyKindFor,
  type ConsoleDecision,
} from './indicator-actions';
import { useIndicatorDecision, useIndicatorMerge, useRequestCountermeasure } from './use-indicators';

export type Close = () => void;

/** The reason every decision carries into the indicator's history; refused empty. */
function ReasonField({
  value,
  onChange,
  isMissing,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  isMissing: boolean;
  label?: string;
}) {
  const t = useT();
  return (
    <Form.Item
      label={label ?? t('indicators.reason')}
      required
      validateStatus={isMissing ? 'error' : undefined}
      help={isMissing ? <span role="alert">{t('indicators.reason.required')}</span> : undefined}
      layout="vertical"
    >
      <Input.TextArea
        value={value}
        maxLength={500}
        rows={3}
        onChange={(e) => onChange(e.target.value)}
        data-testid="indicator-reason"
      />
    </Form.Item>
  );
}

function useReason() {
  const [reason, setReason] = useState('');
  const [isTried, setTried] = useState(false);
  const trimmed = reason.trim();
  return {
    reason,
    setReason,
    isMissing: isTried && trimmed === '',
    /** The reason to send, or undefined (and the field marked) when there is none. */
    take: () => {
      setTried(true);
      return trimmed === '' ? undefined : trimmed;
    },
  };
}

/** Not fraud, shared, unshared or reinstated: one decision with its reason. */
export function DecisionDialog({
  indicator,
  action,
  onClose,
}: {
  indicator: IndicatorView;
  action: ConsoleDecision;
  onClose: Close;
}) {
  const t = useT();
  const { message } = App.useApp();
  const decide = useIndicatorDecision(String(indicator.id));
  const r = useReason();
  const submit = () => {
    const reason = r.take();
    if (!reason) return;
    decide.mutate(
      { action, reason },
      {
        onSuccess: () => {
          void message.success(t('indicators.decided'));
          onClose();
        },
      },
    );
  };
  return (
    <DialogFrame
      title={`${t(`indicators.action.${action}`)} · ${indicator.value}`}
      okText={t(`indicators.action.${action}`)}
      onOk={submit}
      onCancel={onClose}
      isPending={decide.isPending}
      isDanger={action === 'not_fraud'}
      error={decide.error}
      testId="indicator-dialog-decision"
      okTestId="indicator-dialog-decision-ok"
    >
      <ReasonField value={r.reason} onChange={r.setReason} isMissing={r.isMissing} />
    </DialogFrame>
  );
}

/** Finds the other indicator by its number or its value (of the same kind), then merges one into the other. */
export function MergeDialog({ indicator, onClose }: { indicator: IndicatorView; onClose: Close }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const merge = useIndicatorMerge();
  const r = useReason();
  const [text, setText] = useState('');
  const [other, setOther] = useState<IndicatorView | null>(null);
  const [findError, setFindError] = useState<string | null>(null);
  const [isFinding, setFinding] = useState(false);
  const [survivor, setSurvivor] = useState<'this' | 'other'>('this');

  const find = async () => {
    const value = text.trim();
    if (!value) return;
    setFinding(true);
    setFindError(null);
    try {
      const found = /^\d{1,15}$/.test(value)
        ? await api.GET('/api/indicators/{id}', { params: { path: { id: value } } })
        : await api.GET('/api/indicators/lookup', { params: { query: { kind: indicator.kind, value } } });
      const same = found.indicator.kind === indicator.kind && found.indicator.id !== indicator.id;
      setOther(same ? found.indicator : null);
      if (!same) setFindError(t('indicators.merge.notFound'));
    } catch (error) {
      setOther(null);
      setFindError(errorText(locale, error));
    } finally {
      setFinding(false);
    }
  };

  const submit = () => {
    const reason = r.take();
    if (!reason || !other) return;
    const [from, into] = survivor === 'this' ? [other, indicator] : [indicator, other];
    merge.mutate(
      { from: from.id, body: { into: into.id, reason } },
      {
        onSuccess: () => {
          void message.success(t('indicators.merge.done'));
          onClose();
        },
      },
    );
  };

  return (
    <DialogFrame
      title={t('indicators.merge.title')}
      okText={t('indicators.action.merge')}
      onOk={submit}
      onCancel={onClose}
      isPending={merge.isPending}
      error={merge.error}
      testId="indicator-dialog-merge"
      okTestId="indicator-dialog-merge-ok"
    >
      <Form layout="vertical">
        <Form.Item
          label={t('indicators.merge.other')}
          validateStatus={findError ? 'error' : undefined}
          help={findError ?? undefined}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={text}
              onChange={(e) => setText(e.target.value)}
              onPressEnter={() => void find()}
              data-testid="merge-other"
            />
            <Button onClick={() => void find()} loading={isFinding} data-testid="merge-find">
              {t('indicators.merge.find')}
            </Button>
          </Space.Compact>
        </Form.Item>
        {other && (
          <Form.Item label={t('indicators.merge.survivor')}>
            <Radio.Group value={survivor} onChange={(e) => setSurvivor(e.target.value as 'this' | 'other')}>
              <Flex vertical gap={4}>
                <Radio value="this" data-testid="merge-survivor-this">
                  <span style={MONO_STYLE}>
                    #{indicator.id} {indicator.value}
                  </span>
                </Radio>
                <Radio value="other" data-testid="merge-survivor-other">
                  <span style={MONO_STYLE}>
                    #{other.id} {other.value}
                  </span>
                </Radio>
              </Flex>
            </Radio.Group>
          </Form.Item>
        )}
      </Form>
      <ReasonField value={r.reason} onChange={r.setReason} isMissing={r.isMissing} />
    </DialogFrame>
  );
}

const BANK_OPTIONS = listBanks().map((b) => ({ value: b.code, label: `${b.nameZh}（${b.code}）` }));

/** A countermeasure on the indicator: its kind follows the indicator's, the party is picked. */
export function CountermeasureDialog({ indicator, onClose }: { indicator: IndicatorView; onClose: Close }) {
  const t = useT();
  const { message } = App.useApp();
  const request = useRequestCountermeasure();
  const r = useReason();
  const kind = countermeasureKindFor(indicator.kind);
  const partyKind = kind ? partyKindFor(kind) : 'operator';
  const [party, setParty] = useState<string | undefined>(
    partyKind === 'bank' ? bankOfAccount(indicator.value) : undefined,
  );
  const [isPartyMissing, setPartyMissing] = useState(false);
  // Made once per dialog: sending again (a double click, a lost answer) is the same request.
  const [key] = useState(() => crypto.randomUUID());

  const submit = () => {
    const reason = r.take();
    setPartyMissing(!party);
    if (!reason || !party || !kind) return;
    request.mutate(
      { key, item: { kind, indicatorId: indicator.id, partyCode: party, reason } },
      {
        onSuccess: () => {
          void message.success(t('indicators.cm.done'));
          onClose();
        },
      },
    );
  };

  return (
    <DialogFrame
      title={t('indicators.cm.title', { kind: kind ? countermeasureKindNamesZh[kind] : '—' })}
      okText={t('indicators.action.countermeasure')}
      onOk={submit}
      onCancel={onClose}
      isPending={request.isPending}
      error={request.error}
      testId="indicator-dialog-countermeasure"
      okTestId="indicator-dialog-countermeasure-ok"
    >
      {kind ? (
        <Form layout="vertical">
          <Form.Item
            label={partyKind === 'bank' ? t('indicators.cm.bank') : t('indicators.cm.operator')}
            required
            validateStatus={isPartyMissing && !party ? 'error' : undefined}
          >
            {partyKind === 'bank' ? (
              <Select
                showSearch
                optionFilterProp="label"
                value={party}
                onChange={setParty}
                options={BANK_OPTIONS}
                aria-label={t('indicators.cm.bank')}
                data-testid="cm-party"
              />
            ) : (
              <Radio.Group value={party} onChange={(e) => setParty(e.target.value as string)}>
                {operators.map((o) => (
                  <Radio key={o} value={o} data-testid={`cm-party-${o}`}>
                    {t(`operator.name.${o}`)}
                  </Radio>
                ))}
              </Radio.Group>
            )}
          </Form.Item>
        </Form>
      ) : (
        <Alert type="info" showIcon title={t('indicators.cm.none')} />
      )}
      <ReasonField
        value={r.reason}
        onChange={r.setReason}
        isMissing={r.isMissing}
        label={t('indicators.cm.reason')}
      />
    </DialogFrame>
  );
}
