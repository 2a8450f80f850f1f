import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import type { FundDecisionView } from '@fanzha/contracts';
import { App, Button, Flex, Popconfirm, Tooltip, Typography } from 'antd';
import { errorText, useLocale, useT } from '../i18n';
import { useMe } from '../session';
import { formatYuan } from '../ui';
import { isOwnProposal } from './case-roles';
import { useDecide } from './use-freezes';

/**
 * Approve or reject a proposed release or return. The proposer sees the buttons disabled, with why: two
 * different people must decide (the server refuses a self-approval too).
 */
export function DecisionActions({
  decision,
  onReject,
}: {
  decision: FundDecisionView;
  onReject: (decision: FundDecisionView) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { message } = App.useApp();
  const decide = useDecide();
  const isOwn = isOwnProposal(me, decision);
  const approve = () =>
    decide.mutate(
      { id: decision.id, verdict: 'approve' },
      {
        onSuccess: () => void message.success(t('decision.approved')),
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );
  const buttons = (
    <Flex gap={6}>
      <Popconfirm
        title={t('decision.approve.confirm', {
          kind: t(`decision.kind.${decision.kind}`),
          amount: formatYuan(decision.amountFen),
        })}
        onConfirm={approve}
        disabled={isOwn}
        okButtonProps={{ type: 'primary', 'data-testid': 'decision-approve-confirm' }}
      >
        <Button
          size="small"
          type="primary"
          icon={<CheckOutlined />}
          disabled={isOwn}
          loading={decide.isPending}
          data-testid={`decision-approve-${decision.id}`}
        >
          {t('decision.approve')}
        </Button>
      </Popconfirm>
      <Button
        size="small"
        danger
        icon={<CloseOutlined />}
        disabled={isOwn}
        onClick={() => onReject(decision)}
        data-testid={`decision-reject-${decision.id}`}
      >
        {t('decision.reject')}
      </Button>
    </Flex>
  );
  if (!isOwn) return buttons;
  return (
    <Tooltip title={t('decision.ownProposal')}>
      <Flex gap={6} align="center" data-testid={`decision-own-${decision.id}`}>
        {buttons}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('decision.ownProposal.short')}
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}
