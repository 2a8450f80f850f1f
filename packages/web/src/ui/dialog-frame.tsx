import { Alert, Button, Modal } from 'antd';
import type { ReactNode } from 'react';
import { errorText, useLocale, useT } from '../i18n';

/**
 * A dialog's frame, the same in every console: the title, the form, what went wrong, cancel and the one
 * action (busy while it runs, red when it cannot be undone lightly).
 */
export function DialogFrame({
  title,
  okText,
  onOk,
  onCancel,
  isPending,
  isDanger,
  error,
  errorTitle,
  okTestId,
  testId,
  children,
}: {
  title: string;
  okText: string;
  onOk: () => void;
  onCancel: () => void;
  isPending: boolean;
  isDanger?: boolean;
  error: Error | null;
  /** The error alert's heading, the error's text below it; without one the error's text is the heading. */
  errorTitle?: string;
  /** `data-testid` of the action's button. */
  okTestId: string;
  /** `data-testid` of the dialog's body (the form and the error), when a test looks inside it. */
  testId?: string;
  children: ReactNode;
}) {
  const t = useT();
  const { locale } = useLocale();
  const body = (
    <>
      {children}
      {error &&
        (errorTitle ? (
          <Alert type="error" showIcon title={errorTitle} description={errorText(locale, error)} />
        ) : (
          <Alert type="error" showIcon title={errorText(locale, error)} />
        ))}
    </>
  );
  return (
    <Modal
      open
      title={title}
      width={560}
      destroyOnHidden
      onCancel={onCancel}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={isDanger}
          loading={isPending}
          onClick={onOk}
          data-testid={okTestId}
        >
          {okText}
        </Button>,
      ]}
    >
      {testId ? <div data-testid={testId}>{body}</div> : body}
    </Modal>
  );
}
