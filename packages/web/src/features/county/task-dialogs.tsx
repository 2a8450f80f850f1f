import type { CountyTaskView } from '@fanzha/contracts';
import { Descriptions, Input, Select } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n';
import { DialogFrame, MONO_STYLE, formatYuan } from '../../ui';
import { Field, type FormErrors } from '../../case';
import { countyName, countyOptions } from './county-queue';
import { useTaskStep } from './use-county-tasks';

export type TaskDialogKind = 'contact' | 'answer' | 'transfer';
type Close = (done: boolean) => void;

function TaskSummary({ task }: { task: CountyTaskView }) {
  const t = useT();
  return (
    <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('county.col.report')}>
        <span style={MONO_STYLE}>{task.reportNumber}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('county.col.loss')}>{formatYuan(task.totalLossFen)}</Descriptions.Item>
      <Descriptions.Item label={t('county.col.county')} span={2}>
        {countyName(task.countyCode, task.countyName)}
      </Descriptions.Item>
    </Descriptions>
  );
}

const minLength = (errors: FormErrors, field: string, value: string, min: number, isRequired = true) => {
  const v = value.trim();
  if (!v) {
    if (isRequired) errors.set(field, 'required');
  } else if (v.length < min) errors.set(field, 'short');
  return v;
};

function ContactDialog({ task, onClose }: { task: CountyTaskView; onClose: Close }) {
  const t = useT();
  const [note, setNote] = useState('');
  const step = useTaskStep();
  const submit = () =>
    step.mutate(
      { id: task.id, step: 'contact', ...(note.trim() ? { note: note.trim() } : {}) },
      { onSuccess: () => onClose(true) },
    );
  return (
    <DialogFrame
      title={t('county.contact.title')}
      okText={t('county.contact.submit')}
      onOk={submit}
      onCancel={() => onClose(false)}
      isPending={step.isPending}
      error={step.error}
      errorTitle={t('county.stepFailed')}
      okTestId="county-dialog-submit"
    >
      <TaskSummary task={task} />
      <Field label={t('county.contact.note')}>
        <Input.TextArea
          autoFocus
          rows={2}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          data-testid="county-contact-note"
        />
      </Field>
    </DialogFrame>
  );
}

function AnswerDialog({ task, onClose }: { task: CountyTaskView; onClose: Close }) {
  const t = useT();
  const [answer, setAnswer] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [errors, setErrors] = useState<FormErrors>(new Map());
  const step = useTaskStep();
  const submit = () => {
    const found: FormErrors = new Map();
    const text = minLength(found, 'answer', answer, 4);
    const number = minLength(found, 'caseNumber', caseNumber, 4, false);
    setErrors(found);
    if (found.size > 0) return;
    step.mutate(
      { id: task.id, step: 'answer', body: { answer: text, ...(number ? { caseNumber: number } : {}) } },
      { onSuccess: () => onClose(true) },
    );
  };
  return (
    <DialogFrame
      title={t('county.answer.title')}
      okText={t('county.answer.submit')}
      onOk={submit}
      onCancel={() => onClose(false)}
      isPending={step.isPending}
      error={step.error}
      errorTitle={t('county.stepFailed')}
      okTestId="county-dialog-submit"
    >
      <TaskSummary task={task} />
      <Field label={t('county.answer.text')} errors={errors} name="answer" hint={t('county.answer.hint')}>
        <Input.TextArea
          autoFocus
          rows={4}
          maxLength={2000}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          data-testid="county-answer-text"
        />
      </Field>
      <Field label={t('county.answer.caseNumber')} errors={errors} name="caseNumber">
        <Input
          value={caseNumber}
          placeholder={t('county.answer.caseNumber.placeholder')}
          onChange={(e) => setCaseNumber(e.target.value)}
          data-testid="county-case-number"
        />
      </Field>
    </DialogFrame>
  );
}

function TransferDialog({ task, onClose }: { task: CountyTaskView; onClose: Close }) {
  const t = useT();
  const [county, setCounty] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(new Map());
  const step = useTaskStep();
  const submit = () => {
    const found: FormErrors = new Map();
    if (!county) found.set('county', 'required');
    const text = minLength(found, 'reason', reason, 4);
    setErrors(found);
    if (found.size > 0 || !county) return;
    step.mutate(
      { id: task.id, step: 'transfer', countyCode: county, reason: text },
      { onSuccess: () => onClose(true) },
    );
  };
  return (
    <DialogFrame
      title={t('county.transfer.title')}
      okText={t('county.transfer.submit')}
      onOk={submit}
      onCancel={() => onClose(false)}
      isPending={step.isPending}
      error={step.error}
      errorTitle={t('county.stepFailed')}
      okTestId="county-dialog-submit"
    >
      <TaskSummary task={task} />
      <Field label={t('county.transfer.to')} errors={errors} name="county">
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          value={county}
          onChange={(v: string) => setCounty(v)}
          options={countyOptions(task.countyCode)}
          placeholder={t('intake.victim.county.placeholder')}
          style={{ width: '100%' }}
          data-testid="county-transfer-county"
        />
      </Field>
      <Field label={t('county.transfer.reason')} errors={errors} name="reason">
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="county-transfer-reason"
        />
      </Field>
    </DialogFrame>
  );
}

export function TaskDialog({
  kind,
  task,
  onClose,
}: {
  kind: TaskDialogKind;
  task: CountyTaskView;
  onClose: Close;
}) {
  switch (kind) {
    case 'contact':
      return <ContactDialog task={task} onClose={onClose} />;
    case 'answer':
      return <AnswerDialog task={task} onClose={onClose} />;
    case 'transfer':
      return <TransferDialog task={task} onClose={onClose} />;
  }
}
