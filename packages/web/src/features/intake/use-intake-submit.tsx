import type { FieldProblem } from '@fanzha/contracts';
import { App, Flex, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import type { IntakeForm } from './intake-form';
import { MONO } from './intake-fields';
import type { useIntakeDraft } from './use-intake-draft';

/**
 * 提交 and 新建: the submit with its read-back of the number (or the server's problems), and the
 * start of a new report, which asks first once a draft is saved.
 */
export function useIntakeSubmit(draft: ReturnType<typeof useIntakeDraft> & { form: IntakeForm }) {
  const t = useT();
  const { locale } = useLocale();
  const { message, modal } = App.useApp();
  const { view } = draft;
  const [submitProblems, setSubmitProblems] = useState<FieldProblem[]>([]);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const pushedCount = view?.transfers.filter((tr) => tr.stopPaymentId).length ?? 0;

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

  return { submit, startNew, submitProblems, isSubmitting, pushedCount };
}
