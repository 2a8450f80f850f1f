import {
  CheckCircleFilled,
  ClockCircleOutlined,
  CloudSyncOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  PhoneOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type { FieldProblem, ReportView } from '@fanzha/contracts';
import { countyLabel, fraudTypes, listCounties, suggestFraudType, type FraudTypeCode } from '@fanzha/domain';
import { App, Button, Card, Col, Flex, Input, Row, Select, Spin, Tag, Tooltip, Typography } from 'antd';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Link } from 'react-router';
import { errorText, useLocale, useT, type Locale, type MessageKey } from '../../i18n';
import { LiveBadge } from '../../live';
import {
  PageHeading,
  formatClockTime,
  formatStopwatch,
  formatYuan,
  parseCentreTime,
  parseYuanToFen,
  secondsBetween,
  TEXT_COLOURS,
} from '../../ui';
import {
  checkAccount,
  checkAmount,
  checkIdNumber,
  checkMobile,
  checkTime,
  reasonText,
  type Check,
} from './field-checks';
import {
  emptyContact,
  emptyTransfer,
  problemsByField,
  toDraftInput,
  type ContactKind,
  type IntakeForm,
  type TransferRow,
} from './intake-form';
import { useIntakeDraft, type SaveState } from './use-intake-draft';

const CONTACT_KINDS: readonly ContactKind[] = ['phone', 'url', 'app', 'social', 'other'];
const COUNTY_OPTIONS = listCounties().map((d) => ({
  value: d.code,
  label: `${countyLabel(d.code) ?? d.name} ${d.code}`,
}));
const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;
const NO_PROBLEMS: Map<string, FieldProblem> = new Map();

function Note({ check }: { check: Check }) {
  if (!check) return <div className="intake-note" />;
  const color =
    check.kind === 'error' ? TEXT_COLOURS.danger : check.kind === 'ok' ? TEXT_COLOURS.ok : TEXT_COLOURS.muted;
  return (
    <div className="intake-note" style={{ color }}>
      {check.kind === 'ok' && <CheckCircleFilled style={{ marginInlineEnd: 4 }} />}
      {check.text}
    </div>
  );
}

/** A client check while typing, or the server's problem once a submit was refused. */
function noteFor(check: Check, problem: FieldProblem | undefined, locale: Locale): Check {
  if (check && check.kind !== 'hint') return check;
  if (problem) return { kind: 'error', text: reasonText(locale, problem.reason, problem.message) };
  return check;
}

const statusOf = (check: Check) => (check?.kind === 'error' ? 'error' : undefined);

/** Before the call: no clock runs, and one button (focused, so Enter or Space takes the call) starts it. */
function AwaitingCall({ onAnswer }: { onAnswer: () => void }) {
  const t = useT();
  return (
    <Flex vertical gap={6} data-testid="intake-clock" data-state="waiting">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <ClockCircleOutlined /> {t('intake.clock')}
      </Typography.Text>
      <span style={{ ...MONO, fontSize: 30, fontWeight: 600, color: TEXT_COLOURS.muted, lineHeight: 1.1 }}>
        --:--
      </span>
      <Button
        type="primary"
        size="large"
        block
        autoFocus
        icon={<PhoneOutlined />}
        onClick={onAnswer}
        data-testid="intake-answer"
      >
        {t('intake.answer')}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('intake.answer.hint')}
      </Typography.Text>
    </Flex>
  );
}

function Clock({ since, onChange }: { since: string; onChange: (iso: string) => void }) {
  const t = useT();
  const [now, setNow] = useState(() => new Date());
  const [isEditing, setIsEditing] = useState(false);
  const [draft, setDraft] = useState('');
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const seconds = secondsBetween(since, now);
  const color =
    seconds >= 180 ? TEXT_COLOURS.danger : seconds >= 120 ? TEXT_COLOURS.warning : TEXT_COLOURS.primary;
  return (
    <Flex vertical gap={2}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <ClockCircleOutlined /> {t('intake.clock')}
      </Typography.Text>
      <span
        data-testid="intake-clock"
        data-state="running"
        data-seconds={seconds}
        style={{ ...MONO, fontSize: 30, fontWeight: 600, color, lineHeight: 1.1 }}
      >
        {formatStopwatch(seconds)}
      </span>
      {isEditing ? (
        <Input
          size="small"
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => setIsEditing(false)}
          onPressEnter={() => {
            const iso = parseCentreTime(draft, new Date());
            if (iso) onChange(iso);
            setIsEditing(false);
          }}
          aria-label={t('access.callAnsweredAt')}
          data-testid="intake-call-answered"
          style={{ ...MONO, width: 120 }}
        />
      ) : (
        <Typography.Link
          style={{ fontSize: 12 }}
          onClick={() => {
            setDraft(formatClockTime(since));
            setIsEditing(true);
          }}
        >
          {t('intake.answeredAt', { time: formatClockTime(since) })}
        </Typography.Link>
      )}
    </Flex>
  );
}

function SaveIndicator({ state, error }: { state: SaveState; error: unknown }) {
  const t = useT();
  const { locale } = useLocale();
  const reason = error === undefined ? '' : errorText(locale, error);
  switch (state) {
    case 'idle':
      return <Typography.Text type="secondary">{t('intake.save.idle')}</Typography.Text>;
    case 'saving':
      return (
        <Typography.Text type="secondary">
          <CloudSyncOutlined /> {t('intake.save.saving')}
        </Typography.Text>
      );
    case 'saved':
      return (
        <Typography.Text type="success" data-testid="intake-saved">
          <CheckCircleFilled /> {t('intake.save.saved')}
        </Typography.Text>
      );
    case 'failed':
      return (
        <Typography.Text type="danger" data-testid="intake-save-failed">
          <ExclamationCircleFilled /> {t('intake.save.failed', { reason })}
        </Typography.Text>
      );
    case 'error':
      return (
        <Tooltip title={reason}>
          <Typography.Text type="danger">
            <ExclamationCircleFilled /> {t('intake.save.error')}
          </Typography.Text>
        </Tooltip>
      );
  }
}

function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card size="small" title={title} extra={extra} styles={{ body: { padding: '10px 12px 4px' } }}>
      {children}
    </Card>
  );
}

function Labelled({
  label,
  children,
  note,
  extra,
}: {
  label: string;
  children: ReactNode;
  note?: Check;
  extra?: ReactNode;
}) {
  return (
    <label style={{ display: 'block' }}>
      <div className="intake-label">{label}</div>
      {children}
      <Flex justify="space-between" gap={8}>
        <Note check={note} />
        {extra}
      </Flex>
    </label>
  );
}

// Memoised, as the other parts of the form below: a keystroke redraws the field typed in, not the form.
const TransferRowFields = memo(function TransferRowFields({
  row,
  index,
  pushed,
  problems,
  canRemove,
  onChange,
  onRemove,
}: {
  row: TransferRow;
  index: number;
  pushed: ReportView['transfers'][number] | undefined;
  problems: Map<string, FieldProblem>;
  canRemove: boolean;
  onChange: (key: string, patch: Partial<TransferRow>) => void;
  onRemove: (key: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const now = new Date();
  const p = (field: string) => problems.get(`transfers.${row.key}.${field}`);
  const time = noteFor(
    checkTime(row.time, now) ? undefined : { kind: 'error', text: t('intake.check.time') },
    p('transferredAt'),
    locale,
  );
  const amountFen = parseYuanToFen(row.amount);
  const amount = noteFor(
    checkAmount(row.amount)
      ? amountFen
        ? { kind: 'hint', text: formatYuan(amountFen) }
        : undefined
      : { kind: 'error', text: t('intake.check.amount') },
    p('amountFen'),
    locale,
  );
  const account = noteFor(checkAccount(row.account, locale), p('toAccount.number'), locale);
  const id = `intake-transfer-${index}`;
  return (
    <Row gutter={8} align="top" wrap={false} data-testid={`${id}`} className="intake-transfer">
      <Col flex="none" style={{ width: 26, paddingTop: 24, color: TEXT_COLOURS.muted, ...MONO }}>
        {index + 1}
      </Col>
      <Col flex="0 1 110px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.time')} note={time}>
          <Input
            value={row.time}
            placeholder="14:32"
            onChange={(e) => onChange(row.key, { time: e.target.value })}
            status={statusOf(time)}
            data-testid={`${id}-time`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="0 1 130px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.amount')} note={amount}>
          <Input
            value={row.amount}
            prefix="¥"
            inputMode="decimal"
            onChange={(e) => onChange(row.key, { amount: e.target.value })}
            status={statusOf(amount)}
            data-testid={`${id}-amount`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="1 1 150px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.from')}>
          <Input
            value={row.victimAccount}
            inputMode="numeric"
            onChange={(e) => onChange(row.key, { victimAccount: e.target.value })}
            data-testid={`${id}-from`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="2 1 280px" style={{ minWidth: 0 }}>
        <Labelled
          label={t('intake.transfer.account')}
          note={account}
          extra={
            pushed?.stopPaymentId && (
              <span className="intake-pushed" data-testid={`intake-pushed-${index}`}>
                <CheckCircleFilled /> {t('intake.pushed')}
              </span>
            )
          }
        >
          <Input
            value={row.account}
            inputMode="numeric"
            onChange={(e) => onChange(row.key, { account: e.target.value })}
            status={statusOf(account)}
            data-testid={`${id}-account`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="1 1 110px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.name')}>
          <Input
            value={row.name}
            onChange={(e) => onChange(row.key, { name: e.target.value })}
            data-testid={`${id}-name`}
          />
        </Labelled>
      </Col>
      <Col flex="none" style={{ paddingTop: 22 }}>
        <Button
          type="text"
          tabIndex={-1}
          icon={<DeleteOutlined />}
          disabled={!canRemove}
          onClick={() => onRemove(row.key)}
          aria-label={t('intake.transfer.remove')}
        />
      </Col>
    </Row>
  );
});

/** Moves to the next field on Enter (Tab works anyway); textareas and open selects keep their Enter. */
function onEnterNext(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
  const target = event.target as HTMLElement;
  if (target.tagName !== 'INPUT' || target.closest('.ant-select')) return;
  const fields = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>('input:not([disabled]):not([type=hidden]), textarea'),
  ).filter((el) => el.tabIndex >= 0);
  const next = fields[fields.indexOf(target) + 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

const ProblemList = memo(function ProblemList({ problems }: { problems: FieldProblem[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (problems.length === 0) return null;
  return (
    <Card size="small" title={t('intake.problems', { n: problems.length })} data-testid="intake-problems">
      <ul style={{ margin: 0, paddingInlineStart: 18, color: '#cf1322' }}>
        {problems.map((p) => (
          <li key={`${p.field}:${p.reason}`}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fieldLabel(p.field, t)}
            </Typography.Text>{' '}
            {reasonText(locale, p.reason, p.message)}
          </li>
        ))}
      </ul>
    </Card>
  );
});

const FIELD_LABELS: Record<string, MessageKey> = {
  transferredAt: 'intake.transfer.time',
  amountFen: 'intake.transfer.amount',
  'toAccount.number': 'intake.transfer.account',
  'toAccount.bankCode': 'intake.transfer.account',
  'victim.name': 'intake.victim.name',
  'victim.idNumber': 'intake.victim.idNumber',
  'victim.phone': 'intake.victim.phone',
  'victim.countyCode': 'intake.victim.county',
  fraudType: 'intake.fraudType',
  transfers: 'intake.transfers',
  value: 'intake.contacts',
};

function fieldLabel(field: string, t: ReturnType<typeof useT>): string {
  const path = field.replace(/^body\./, '');
  const row = /^(transfers|contacts)\.(\d+)\.(.+)$/.exec(path);
  if (row) {
    const key = FIELD_LABELS[row[3] ?? ''];
    const base =
      row[1] === 'transfers' ? t('intake.transferN', { n: Number(row[2]) + 1 }) : t('intake.contacts');
    return key ? `${base} · ${t(key)}` : base;
  }
  const key = FIELD_LABELS[path];
  return key ? t(key) : path;
}

const Shortcuts = memo(function Shortcuts() {
  const t = useT();
  const keys: [string, MessageKey][] = [
    ['Enter / Tab', 'intake.key.next'],
    ['Alt+N', 'intake.key.addTransfer'],
    ['Alt+C', 'intake.key.addContact'],
    ['Ctrl+Enter', 'intake.key.submit'],
  ];
  return (
    <Flex vertical gap={4} style={{ fontSize: 12 }}>
      {keys.map(([key, label]) => (
        <Flex key={key} justify="space-between">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(label)}
          </Typography.Text>
          <Typography.Text keyboard style={{ fontSize: 11 }}>
            {key}
          </Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
});

function IntakeWorkspace({ draft }: { draft: ReturnType<typeof useIntakeDraft> & { form: IntakeForm } }) {
  const t = useT();
  const { locale } = useLocale();
  const { message, modal } = App.useApp();
  const { form, view, setForm } = draft;
  const [submitProblems, setSubmitProblems] = useState<FieldProblem[]>([]);
  const [isSubmitting, setIsSubmitting] = useState(false);
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

  const focusField = (testId: string) =>
    setTimeout(() => rootRef.current?.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.focus(), 0);

  const addTransfer = useCallback(() => {
    setForm((f) => ({ ...f, transfers: [...f.transfers, emptyTransfer()] }));
    focusField(`intake-transfer-${form.transfers.length}-time`);
  }, [setForm, form.transfers.length]);

  const addContact = useCallback(() => {
    setForm((f) => ({ ...f, contacts: [...f.contacts, emptyContact()] }));
    focusField(`intake-contact-${form.contacts.length}-value`);
  }, [setForm, form.contacts.length]);

  const submit = useCallback(async () => {
    if (isSubmitting) return;
    setIsSubmitting(true);
    try {
      const result = await draft.submit();
      if (result.ok) {
        setSubmitProblems([]);
        const { report } = result;
        draft.startNew();
        const dialog = modal.success({
          title: t('intake.submitted.title'),
          content: (
            <Flex vertical gap={8} data-testid="intake-submitted">
              <Typography.Text type="secondary">{t('intake.submitted.readBack')}</Typography.Text>
              <span
                data-testid="intake-submitted-number"
                style={{ ...MONO, fontSize: 24, fontWeight: 700, letterSpacing: 1 }}
              >
                {report.number}
              </span>
              <Link
                to={`/reports/${report.id}`}
                onClick={() => dialog.destroy()}
                data-testid="intake-submitted-link"
              >
                {t('intake.openReport')}
              </Link>
            </Flex>
          ),
        });
      } else if (result.problems.length > 0) {
        setSubmitProblems(result.problems);
        void message.error(t('intake.refused', { n: result.problems.length }));
      } else {
        // Nothing saved yet: nothing to submit.
        void message.error(result.error === undefined ? t('intake.empty') : errorText(locale, result.error));
      }
    } finally {
      setIsSubmitting(false);
    }
  }, [draft, isSubmitting, locale, message, modal, t]);

  // Shortcuts anywhere on the page: the call-taker's hands stay on the keyboard. Caught before the
  // fields see them (capture), so Ctrl+Enter in an open select submits rather than picks an option.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        event.stopPropagation();
        void submit();
      } else if (event.altKey && event.code === 'KeyN') {
        event.preventDefault();
        addTransfer();
      } else if (event.altKey && event.code === 'KeyC') {
        event.preventDefault();
        addContact();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [submit, addTransfer, addContact]);

  // A select's clear (×) is a button of its own: Tab would stop on it and the next keys would land in
  // the select again. It stays for the mouse; the keyboard goes from the select to the next field.
  useEffect(() => {
    rootRef.current?.querySelectorAll<HTMLElement>('.ant-select-clear').forEach((button) => {
      button.tabIndex = -1;
    });
  });

  // A call resumed after a reload goes on where the hands are: in the form, not at the top of the page.
  const isResumedCall = useRef(Boolean(form.callAnsweredAt)).current;
  useEffect(() => {
    if (isResumedCall) focusField('intake-transfer-0-time');
  }, [isResumedCall]);

  /** 新建: a saved draft is left behind, so say what becomes of it and of the cards already pushed. */
  const startNew = () => {
    if (!view) return draft.startNew();
    modal.confirm({
      title: t('intake.new.title'),
      content: (
        <Flex vertical gap={8} data-testid="intake-new-warning">
          <span>{t('intake.new.body', { number: view.number })}</span>
          {pushedCount > 0 && (
            <Typography.Text type="warning" strong data-testid="intake-new-pushed">
              {t('intake.new.pushed', { n: pushedCount })}
            </Typography.Text>
          )}
        </Flex>
      ),
      okText: t('intake.new.ok'),
      cancelText: t('intake.new.cancel'),
      okButtonProps: { 'data-testid': 'intake-new-confirm' },
      cancelButtonProps: { 'data-testid': 'intake-new-cancel' },
      // Enter keeps the report: leaving it is the step that needs a deliberate choice.
      autoFocusButton: 'cancel',
      onOk: () => draft.startNew(),
    });
  };

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

  const phone = noteFor(checkMobile(form.victim.phone, locale), problems.get('victim.phone'), locale);
  const idNumber = noteFor(
    checkIdNumber(form.victim.idNumber, locale, today),
    problems.get('victim.idNumber'),
    locale,
  );
  const name = noteFor(undefined, problems.get('victim.name'), locale);
  const county = noteFor(
    form.victim.countyCode ? { kind: 'ok', text: countyLabel(form.victim.countyCode) ?? '' } : undefined,
    problems.get('victim.countyCode'),
    locale,
  );
  const fraudTypeNote = noteFor(undefined, problems.get('fraudType'), locale);
  const fraudTypeName = (code: FraudTypeCode) => {
    const type = fraudTypes.find((f) => f.code === code);
    return locale === 'zh-CN' ? type?.nameZh : type?.nameEn;
  };
  const pushedCount = view?.transfers.filter((tr) => tr.stopPaymentId).length ?? 0;
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

            <Section
              title={t('intake.contacts')}
              extra={
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={addContact}
                  data-testid="intake-add-contact"
                >
                  {t('intake.addContact')} <Typography.Text keyboard>Alt+C</Typography.Text>
                </Button>
              }
            >
              {form.contacts.map((row, index) => {
                const note = noteFor(undefined, problems.get(`contacts.${row.key}.value`), locale);
                return (
                  <Row key={row.key} gutter={8}>
                    <Col flex="140px">
                      <Select
                        value={row.kind}
                        style={{ width: '100%' }}
                        options={CONTACT_KINDS.map((kind) => ({
                          value: kind,
                          label: t(`intake.contact.${kind}`),
                        }))}
                        onChange={(kind) =>
                          setForm((f) => ({
                            ...f,
                            contacts: f.contacts.map((c) => (c.key === row.key ? { ...c, kind } : c)),
                          }))
                        }
                        aria-label={t('access.contactKind')}
                        data-testid={`intake-contact-${index}-kind`}
                      />
                    </Col>
                    <Col flex="auto">
                      <Input
                        value={row.value}
                        status={statusOf(note)}
                        placeholder={t(`intake.contact.${row.kind}.placeholder`)}
                        onChange={(e) =>
                          setForm((f) => ({
                            ...f,
                            contacts: f.contacts.map((c) =>
                              c.key === row.key ? { ...c, value: e.target.value } : c,
                            ),
                          }))
                        }
                        aria-label={t('access.contactValue')}
                        data-testid={`intake-contact-${index}-value`}
                      />
                      <Note check={note} />
                    </Col>
                    <Col flex="none">
                      <Button
                        type="text"
                        tabIndex={-1}
                        icon={<DeleteOutlined />}
                        disabled={form.contacts.length <= 1}
                        onClick={() =>
                          setForm((f) => ({ ...f, contacts: f.contacts.filter((c) => c.key !== row.key) }))
                        }
                        aria-label={t('intake.contact.remove')}
                      />
                    </Col>
                  </Row>
                );
              })}
            </Section>

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

            <Section title={t('intake.victim')}>
              <Row gutter={12}>
                <Col span={5}>
                  <Labelled label={t('intake.victim.name')} note={name}>
                    <Input
                      value={form.victim.name}
                      status={statusOf(name)}
                      onChange={(e) => patchVictim({ name: e.target.value })}
                      data-testid="intake-victim-name"
                    />
                  </Labelled>
                </Col>
                <Col span={7}>
                  <Labelled label={t('intake.victim.idNumber')} note={idNumber}>
                    <Input
                      value={form.victim.idNumber}
                      maxLength={18}
                      status={statusOf(idNumber)}
                      onChange={(e) => patchVictim({ idNumber: e.target.value })}
                      data-testid="intake-victim-id"
                      style={MONO}
                    />
                  </Labelled>
                </Col>
                <Col span={5}>
                  <Labelled label={t('intake.victim.phone')} note={phone}>
                    <Input
                      value={form.victim.phone}
                      inputMode="tel"
                      status={statusOf(phone)}
                      onChange={(e) => patchVictim({ phone: e.target.value })}
                      data-testid="intake-victim-phone"
                      style={MONO}
                    />
                  </Labelled>
                </Col>
                <Col span={7}>
                  <Labelled label={t('intake.victim.county')} note={county}>
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      allowClear
                      value={form.victim.countyCode}
                      placeholder={t('intake.victim.county.placeholder')}
                      style={{ width: '100%' }}
                      status={statusOf(county)}
                      options={COUNTY_OPTIONS}
                      onChange={(code: string | undefined) => patchVictim({ countyCode: code ?? null })}
                      data-testid="intake-victim-county"
                    />
                  </Labelled>
                </Col>
                <Col span={24}>
                  <Labelled label={t('intake.victim.address')}>
                    <Input
                      value={form.victim.address}
                      onChange={(e) => patchVictim({ address: e.target.value })}
                      data-testid="intake-victim-address"
                    />
                  </Labelled>
                </Col>
              </Row>
            </Section>
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
