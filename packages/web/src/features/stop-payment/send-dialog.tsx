import type { StopPaymentView } from '@fanzha/contracts';
import { Alert, Button, Descriptions, Flex, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { LayerTag, MONO_STYLE, formatCentreTime, formatYuan, groupDigits } from '../../ui';
import { useSendStopPayment } from './use-desk';

/**
 * One request, one legal document number, Enter sends. The number is typed for each request, never
 * carried over from the previous send: Enter-Enter would otherwise send a card under another case's 文书.
 */
export function SendDialog({
  request,
  onClose,
}: {
  request: StopPaymentView;
  onClose: (sent: boolean) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [legalDoc, setLegalDoc] = useState('');
  const send = useSendStopPayment();
  const isValid = legalDoc.trim().length >= 4;

  const submit = () => {
    if (!isValid || send.isPending) return;
    const value = legalDoc.trim();
    send.mutate(
      { id: request.id, legalDocNumber: value },
      {
        onSuccess: () => onClose(true),
      },
    );
  };

  return (
    <Modal
      open
      title={t('desk.send.title')}
      onCancel={() => onClose(false)}
      destroyOnHidden
      width={520}
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <Typography.Text keyboard>Enter</Typography.Text> {t('desk.send.hint')}
          </Typography.Text>
          <Flex gap={8}>
            <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              danger
              loading={send.isPending}
              disabled={!isValid}
              onClick={submit}
              data-testid="desk-send-confirm"
            >
              {t('desk.send.confirm')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('desk.col.account')} span={2}>
          <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(request.account.number)}</span>{' '}
          <LayerTag layer={request.layer} />
        </Descriptions.Item>
        <Descriptions.Item label={t('desk.col.name')}>{request.account.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('desk.col.bank')}>
          {request.account.bankName ?? request.account.bankCode}
        </Descriptions.Item>
        <Descriptions.Item label={t('desk.col.amount')}>{formatYuan(request.amountFen)}</Descriptions.Item>
        <Descriptions.Item label={t('desk.col.transferredAt')}>
          {formatCentreTime(request.transferredAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('desk.col.report')} span={2}>
          {request.reportNumber}
        </Descriptions.Item>
      </Descriptions>
      <label>
        <Typography.Text strong>{t('desk.send.legalDoc')}</Typography.Text>
        <Input
          autoFocus
          value={legalDoc}
          onChange={(e) => setLegalDoc(e.target.value)}
          onPressEnter={submit}
          autoComplete="off"
          placeholder={t('desk.send.legalDoc.placeholder')}
          status={legalDoc && !isValid ? 'error' : undefined}
          data-testid="desk-legal-doc"
          style={{ marginTop: 4 }}
        />
      </label>
      {send.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('desk.send.failed')}
          description={errorText(locale, send.error)}
        />
      )}
    </Modal>
  );
}
