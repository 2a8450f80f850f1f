import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import type { FieldProblem } from '@fanzha/contracts';
import { fraudTypes, suggestFraudType, type FraudTypeCode } from '@fanzha/domain';
import { Button, Card, Col, Flex, Input, Row, Select, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useLocale, useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { PageHeading, formatYuan, parseYuanToFen, TEXT_COLOURS } from '../../ui';
import { AwaitingCall, Clock, SaveIndicator } from './call-clock';
import { ContactsSection } from './contacts-section';
import {
  emptyContact,
  emptyTransfer,
  problemsByField,
  toDraftInput,
  type IntakeForm,
  type TransferRow,
} from './intake-form';
import { Labelled, MONO, noteFor, Section, statusOf } from './intake-fields';
import { onEnterNext, Shortcuts, useIntakeKeys } from './intake-keys';
import { IntakeQueue } from './intake-queue';
import { ProblemList } from './problem-list';
import { TransferRowFields } from './transfer-row';
import { useIntakeDraft } from './use-intake-draft';
import { useIntakeSubmit } from './use-intake-submit';
import { VictimSection } from './victim-section';

const NO_PROBLEMS: Map<string, FieldProblem> = new Map();

function IntakeWorkspace({ draft }: { draft: ReturnType<typeof useIntakeDraft> & { form: IntakeForm } }) {
  const t = useT();
  const { locale } = useLocale();
  const { form, view, setForm } = draft;
  const { submit, startNew, submitProblems, isSubmitting, pushedCount } = useIntakeSubmit(draft);
  const rootRef = useRef<HTMLDivElement>(null);
  const today = useMemo(() => new Date(), []);

  // One empty map while the server has refused nothing, so the memoised rows keep their props.
  const problems = useMemo(
    () =>
      submitProblems.length === 0
        ? NO_PROBLEMS
        : problemsByField(submitProblems, toDraftInput(form, 0, new Date())),
    [submitProblems, form],
  );
  const suggestion = useMemo(() => suggestFraudType(form.narrative), [form.narrative]);

  // The field to focus once it is on screen: at once if it already is, otherwise in the commit that
  // renders it (a row just added). Never a timer, so no keystroke typed right after lands elsewhere.
  const pendingFocus = useRef<string | null>(null);
  const focusNow = (testId: string) => {
    const field = rootRef.current?.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    field?.focus();
    return field != null;
  };
  const focusField = (testId: string) => {
    pendingFocus.current = focusNow(testId) ? null : testId;
  };
  useLayoutEffect(() => {
    if (pendingFocus.current && focusNow(pendingFocus.current)) pendingFocus.current = null;
  });

  const addTransfer = useCallback(() => {
    setForm((f) => ({ ...f, transfers: [...f.transfers, emptyTransfer()] }));
    focusField(`intake-transfer-${form.transfers.length}-time`);
  }, [setForm, form.transfers.length]);

  const addContact = useCallback(() => {
    setForm((f) => ({ ...f, contacts: [...f.contacts, emptyContact()] }));
    focusField(`intake-contact-${form.contacts.length}-value`);
  }, [setForm, form.contacts.length]);

  useIntakeKeys({ rootRef, submit, addTransfer, addContact });

  // A call resumed after a reload goes on where the hands are: in the form, not at the top of the page.
  const isResumedCall = useRef(Boolean(form.callAnsweredAt)).current;
  useEffect(() => {
    if (isResumedCall) focusField('intake-transfer-0-time');
  }, [isResumedCall]);

  const patchTransfer = useCallback(
    (key: string, patch: Partial<TransferRow>) =>
      setForm((f) => ({
        ...f,
        transfers: f.transfers.map((r) => (r.key === key ? { ...r, ...patch } : r)),
      })),
    [setForm],
  );
  const removeTransfer = useCallback(
    (key: string) => setForm((f) => ({ ...f, transfers: f.transfers.filter((r) => r.key !== key) })),
    [setForm],
  );
  const patchVictim = useCallback(
    (patch: Partial<IntakeForm['victim']>) => setForm((f) => ({ ...f, victim: { ...f.victim, ...patch } })),
    [setForm],
  );
  const fraudTypeOptions = useMemo(
    () => fraudTypes.map((f) => ({ value: f.code, label: locale === 'zh-CN' ? f.nameZh : f.nameEn })),
    [locale],
  );

  const fraudTypeNote = noteFor(undefined, problems.get('fraudType'), locale);
  const fraudTypeName = (code: FraudTypeCode) => {
    const type = fraudTypes.find((f) => f.code === code);
    return locale === 'zh-CN' ? type?.nameZh : type?.nameEn;
  };
  const totalFen = form.transfers.reduce((sum, tr) => sum + (parseYuanToFen(tr.amount) ?? 0), 0);

  return (
    <Row gutter={16} wrap={false}>
      <Col flex="auto" style={{ minWidth: 0 }}>
        <div ref={rootRef} onKeyDown={onEnterNext}>
          <Flex vertical gap={12}>
            <Section
              title={t('intake.transfers')}
              extra={
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={addTransfer}
                  data-testid="intake-add-transfer"
                >
                  {t('intake.addTransfer')} <Typography.Text keyboard>Alt+N</Typography.Text>
                </Button>
              }
            >
              {form.transfers.map((row, index) => (
                <TransferRowFields
                  key={row.key}
                  row={row}
                  index={index}
                  pushed={view?.transfers.find((tr) => tr.key === row.key)}
                  problems={problems}
                  canRemove={form.transfers.length > 1}
                  onChange={patchTransfer}
                  onRemove={removeTransfer}
                />
              ))}
            </Section>

            <ContactsSection form={form} problems={problems} setForm={setForm} onAdd={addContact} />

            <Section title={t('intake.narrative')}>
              <Input.TextArea
                value={form.narrative}
                autoSize={{ minRows: 3, maxRows: 8 }}
                placeholder={t('intake.narrative.placeholder')}
                onChange={(e) => setForm((f) => ({ ...f, narrative: e.target.value }))}
                data-testid="intake-narrative"
              />
              <Flex align="center" gap={8} wrap style={{ margin: '8px 0 4px' }}>
                <Typography.Text type="secondary">{t('intake.suggested')}</Typography.Text>
                {suggestion ? (
                  <>
                    <Tag color="blue" data-testid="intake-suggested">
                      {fraudTypeName(suggestion.code)}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('intake.matched', { words: suggestion.matched.join('、') })}
                    </Typography.Text>
                    {form.fraudType !== suggestion.code && (
                      <Button
                        size="small"
                        type="link"
                        onClick={() => {
                          setForm((f) => ({ ...f, fraudType: suggestion.code }));
                          // The button goes away once accepted: keep the hands in the form, on the next field.
                          focusField('intake-victim-name');
                        }}
                        data-testid="intake-accept-suggestion"
                      >
                        {t('intake.accept')}
                      </Button>
                    )}
                  </>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                )}
              </Flex>
              <Labelled label={t('intake.fraudType')} note={fraudTypeNote}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  allowClear
                  value={form.fraudType}
                  placeholder={t('intake.fraudType.placeholder')}
                  style={{ width: 360 }}
                  status={statusOf(fraudTypeNote)}
                  options={fraudTypeOptions}
                  onChange={(code: FraudTypeCode | undefined) =>
                    setForm((f) => ({ ...f, fraudType: code ?? null }))
                  }
                  data-testid="intake-fraud-type"
                />
              </Labelled>
            </Section>

            <VictimSection victim={form.victim} problems={problems} today={today} onChange={patchVictim} />
          </Flex>
        </div>
      </Col>

      <Col flex="280px">
        <Flex vertical gap={12} style={{ position: 'sticky', top: 80 }}>
          <Card size="small">
            <Flex vertical gap={10}>
              {form.callAnsweredAt ? (
                <Clock
                  since={form.callAnsweredAt}
                  onChange={(iso) => setForm((f) => ({ ...f, callAnsweredAt: iso }))}
                />
              ) : (
                <AwaitingCall
                  onAnswer={() => {
                    draft.answerCall();
                    focusField('intake-transfer-0-time');
                  }}
                />
              )}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('intake.reportNumber')}
                </Typography.Text>
                <div data-testid="intake-report-number" style={{ ...MONO, fontSize: 15, fontWeight: 600 }}>
                  {view?.number ?? t('intake.unsaved')}
                </div>
              </div>
              <SaveIndicator state={draft.saveState} error={draft.saveError} />
              <Flex justify="space-between">
                <Typography.Text type="secondary">{t('intake.total')}</Typography.Text>
                <Typography.Text strong style={MONO}>
                  {formatYuan(totalFen)}
                </Typography.Text>
              </Flex>
              <Flex justify="space-between">
                <Typography.Text type="secondary">{t('intake.pushedCount')}</Typography.Text>
                <Typography.Text strong data-testid="intake-pushed-count">
                  {pushedCount} / {form.transfers.length}
                </Typography.Text>
              </Flex>
              <Button
                type="primary"
                size="large"
                block
                icon={<SendOutlined />}
                loading={isSubmitting}
                onClick={() => void submit()}
                data-testid="intake-submit"
              >
                {t('intake.submit')}
              </Button>
              <Button block onClick={startNew} data-testid="intake-new" disabled={!view}>
                {t('intake.new')}
              </Button>
            </Flex>
          </Card>
          <ProblemList problems={submitProblems} />
          <IntakeQueue currentId={form.reportId} onTake={draft.openDraft} />
          <Card size="small" title={t('intake.shortcuts')}>
            <Shortcuts />
          </Card>
        </Flex>
      </Col>
    </Row>
  );
}

/** 接警: the form follows the call; every valid fraudster account goes to the desk while the call goes on. */
export default function IntakePage() {
  const t = useT();
  const draft = useIntakeDraft();
  const { form } = draft;
  return (
    <>
      <style>{`
        .intake-label { font-size: 12px; color: rgba(0,0,0,0.55); margin-bottom: 2px; }
        .intake-note { min-height: 18px; font-size: 12px; line-height: 18px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .intake-pushed { font-size: 12px; line-height: 18px; color: #fff; background: ${TEXT_COLOURS.ok}; border-radius: 4px; padding: 0 6px; white-space: nowrap; }
        .intake-transfer + .intake-transfer { border-top: 1px dashed #eef0f4; padding-top: 6px; }
      `}</style>
      <PageHeading
        title={t('console.intake.title')}
        description={t('intake.description')}
        extra={<LiveBadge />}
      />
      {form ? (
        <IntakeWorkspace key={form.reportId} draft={{ ...draft, form }} />
      ) : (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      )}
    </>
  );
}
