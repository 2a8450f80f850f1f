import type { FreezeView, FundDecisionView, StopPaymentView } from '@fanzha/contracts';
import { stopFailureReasonNamesZh } from '@fanzha/domain';
import { Button, Flex, Tag, Tree, Typography } from 'antd';
import type { ReactNode } from 'react';
import { hasMessage, useLocale, useT, type Translate } from '../../i18n';
import {
  LayerTag,
  MONO_STYLE,
  StopPaymentStatusTag,
  formatCentreTime,
  formatYuan,
  groupDigits,
  useNow,
  TEXT_COLOURS,
} from '../../ui';
import {
  DecisionActions,
  countdownTo,
  legalStateAt,
  Countdown,
  LiveLegalStateTag,
  freeToDecide,
} from '../../case';
import type { TrailNode } from './money-trail';
import type { MeasureAction } from './freeze-dialogs';

/** A bank's reason for not carrying out a measure, in the reader's language. */
function measureFailureText(reason: string | null, t: Translate): string {
  if (!reason) return '—';
  const key = `bank.measureFailure.${reason}`;
  return hasMessage(key) ? t(key) : reason;
}

export interface TrailPermissions {
  canRestrict: boolean;
  canApprove: boolean;
}

const DECISION_COLORS: Record<FundDecisionView['status'], string> = {
  proposed: 'gold',
  approved: 'blue',
  rejected: 'default',
  confirmed: 'green',
  failed: 'red',
};

function Figure({
  label,
  fen,
  color,
  testId,
}: {
  label: string;
  fen: number;
  color?: string;
  testId: string;
}) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {label}{' '}
      <span
        style={{ ...MONO_STYLE, color: fen > 0 ? color : undefined, fontWeight: 600 }}
        data-testid={testId}
      >
        {formatYuan(fen)}
      </span>
    </Typography.Text>
  );
}

function DecisionLine({
  d,
  permissions,
  onAction,
}: {
  d: FundDecisionView;
  permissions: TrailPermissions;
  onAction: (a: MeasureAction) => void;
}) {
  const t = useT();
  return (
    <Flex gap={8} align="center" wrap data-testid={`trail-decision-${d.id}`} data-status={d.status}>
      <Tag color={DECISION_COLORS[d.status]} style={{ marginInlineEnd: 0 }}>
        {t(`decision.kind.${d.kind}`)} · {t(`decision.status.${d.status}`)}
      </Tag>
      <span style={MONO_STYLE}>{formatYuan(d.amountFen)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {d.decisionNumber} · {t('decision.proposedBy', { by: d.proposedBy })}
        {d.decidedBy && ` · ${t('decision.decidedBy', { by: d.decidedBy })}`}
      </Typography.Text>
      {d.status === 'approved' && d.kind === 'return' && d.dueAt && (
        <Typography.Text type={d.isOverdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {t('decision.returnDue', { at: formatCentreTime(d.dueAt) })}
        </Typography.Text>
      )}
      {d.payee && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`decision-payee-${d.id}`}>
          {t('decision.payee', {
            name: d.payee.name,
            account: groupDigits(d.payee.account),
            bank: d.payee.bankName ?? d.payee.bankCode,
          })}
        </Typography.Text>
      )}
      {d.status === 'confirmed' && d.executedFen !== null && (
        <Typography.Text type="success" style={{ fontSize: 12 }} data-testid={`decision-executed-${d.id}`}>
          {d.executedFen < d.amountFen
            ? t('decision.executed.partial', {
                amount: formatYuan(d.executedFen),
                decided: formatYuan(d.amountFen),
              })
            : t('decision.executed', { amount: formatYuan(d.executedFen) })}
        </Typography.Text>
      )}
      {d.status === 'confirmed' && d.bankReference && (
        <Typography.Text type="success" style={{ fontSize: 12 }}>
          {t('decision.confirmedRef', { ref: d.bankReference })}
        </Typography.Text>
      )}
      {d.status === 'failed' && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`decision-failure-${d.id}`}>
          {t('decision.failedReason', { reason: measureFailureText(d.failureReason, t) })}
        </Typography.Text>
      )}
      {d.status === 'proposed' && permissions.canApprove && (
        <DecisionActions decision={d} onReject={(decision) => onAction({ kind: 'reject', decision })} />
      )}
    </Flex>
  );
}

function NodeActions({
  r,
  permissions,
  onAction,
}: {
  r: StopPaymentView;
  permissions: TrailPermissions;
  onAction: (a: MeasureAction) => void;
}) {
  const t = useT();
  const now = useNow(1000);
  if (!permissions.canRestrict) return null;
  const state = legalStateAt(r, now);
  const freeze = r.freeze;
  // Several releases and returns may run at once while their amounts fit in what is frozen.
  const canDecide = freeze ? freeToDecide(freeze).availableFen > 0 : false;
  const isRenewing = freeze?.renewals.some((x) => x.status === 'requested') ?? false;
  const button = (key: string, label: string, action: MeasureAction, isPrimary = false) => (
    <Button
      key={key}
      size="small"
      type={isPrimary ? 'primary' : 'default'}
      onClick={() => onAction(action)}
      data-testid={`trail-${key}-${r.account.number}`}
    >
      {label}
    </Button>
  );
  const buttons: ReactNode[] = [];
  if (state === 'stopped')
    buttons.push(button('freeze', t('trail.action.freeze'), { kind: 'freeze', request: r }, true));
  // A second (last) emergency stop is for when a freeze cannot be made in time: offered in the last
  // hours and after a lapse, not beside a fresh stop.
  const isEnding = r.expiresAt !== null && countdownTo(r.expiresAt, now).level !== 'calm';
  if ((state === 'lapsed' || (state === 'stopped' && isEnding)) && r.stopSeq === 1)
    buttons.push(button('restop', t('trail.action.restop'), { kind: 'restop', request: r }));
  if (state === 'frozen' && freeze) {
    if (!isRenewing)
      buttons.push(button('renew', t('trail.action.renew'), { kind: 'renew', request: r, freeze }));
    if (canDecide) {
      buttons.push(
        button('return', t('trail.action.return'), {
          kind: 'propose',
          request: r,
          freeze,
          decisionKind: 'return',
        }),
        button('release', t('trail.action.release'), {
          kind: 'propose',
          request: r,
          freeze,
          decisionKind: 'release',
        }),
      );
    }
  }
  return buttons.length > 0 ? <Flex gap={6}>{buttons}</Flex> : null;
}

/** The freeze as the bank left it: requested (awaiting the bank), in force, or refused with the bank's reason. */
function FreezeInfo({ freeze, testId }: { freeze: FreezeView; testId: string }) {
  const t = useT();
  const confirmed = freeze.renewals.filter((x) => x.status === 'confirmed').length;
  const pending = freeze.renewals.filter((x) => x.status !== 'confirmed');
  return (
    <Flex gap={8} wrap data-testid={testId} data-freeze-status={freeze.status}>
      {freeze.status === 'requested' ? (
        <Typography.Text style={{ fontSize: 12, color: '#1f5fbf' }}>
          {t('trail.freezeRequested', {
            number: freeze.decisionNumber,
            amount: formatYuan(freeze.requestedFen),
          })}
        </Typography.Text>
      ) : freeze.status === 'failed' ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {freeze.decisionNumber} ·{' '}
          {t('freeze.status.failed', { reason: measureFailureText(freeze.failureReason, t) })}
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('trail.freezeInfo', { number: freeze.decisionNumber, end: formatCentreTime(freeze.endsAt) })}
          {confirmed > 0 && ` · ${t('trail.renewals', { n: confirmed })}`}
        </Typography.Text>
      )}
      {pending.map((x) => (
        <Typography.Text
          key={x.seq}
          type={x.status === 'failed' ? 'danger' : undefined}
          style={{ fontSize: 12 }}
          data-testid={`${testId}-renewal-${x.seq}`}
          data-status={x.status}
        >
          {t(x.status === 'failed' ? 'trail.renewal.failed' : 'trail.renewal.requested', {
            end: formatCentreTime(x.endsAt),
          })}
        </Typography.Text>
      ))}
    </Flex>
  );
}

/** One account of the trail: where its money came from and stands, its legal timer, and what may be done. */
function NodeTitle({
  r,
  permissions,
  onAction,
}: {
  r: StopPaymentView;
  permissions: TrailPermissions;
  onAction: (a: MeasureAction) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const n = r.account.number;
  const stoppedFen = r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0;
  const freeze = r.freeze;
  return (
    <Flex
      vertical
      gap={4}
      style={{ padding: '4px 0' }}
      data-testid={`trail-${n}`}
      data-layer={r.layer}
      data-seq={r.stopSeq}
      data-legal-state={r.legalState}
    >
      <Flex gap={10} align="center" wrap>
        <LayerTag layer={r.layer} />
        <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(n)}</span>
        <Typography.Text type="secondary">{r.account.name ?? ''}</Typography.Text>
        <Tag style={{ marginInlineEnd: 0 }}>{r.account.bankName ?? r.account.bankCode}</Tag>
        {r.stopSeq === 2 && <Tag color="orange">{t('trail.secondStop')}</Tag>}
        {/* Once stopped, where the money stands in law says more than the request's status. */}
        {r.legalState === 'none' ? <StopPaymentStatusTag status={r.status} /> : <LiveLegalStateTag r={r} />}
        {r.legalState === 'stopped' && r.expiresAt && (
          <Countdown deadline={r.expiresAt} testId={`trail-countdown-${n}`} />
        )}
        {r.result?.outcome === 'failed' && r.result.failureReason && (
          <Typography.Text type="danger">
            {locale === 'zh-CN' ? stopFailureReasonNamesZh[r.result.failureReason] : r.result.failureReason}
          </Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ ...MONO_STYLE, fontSize: 12 }}>
          {formatCentreTime(r.transferredAt)}
        </Typography.Text>
      </Flex>
      <Flex gap={16} align="center" wrap>
        <Figure label={t('trail.amountIn')} fen={r.amountFen} testId={`trail-in-${n}`} />
        <Figure
          label={t('trail.stopped')}
          fen={stoppedFen}
          color={TEXT_COLOURS.ok}
          testId={`trail-stopped-${n}`}
        />
        <Figure label={t('trail.frozen')} fen={r.frozenFen} color="#1f5fbf" testId={`trail-frozen-${n}`} />
        <Figure
          label={t('trail.returned')}
          fen={r.returnedFen}
          color="#722ed1"
          testId={`trail-returned-${n}`}
        />
        {freeze && <FreezeInfo freeze={freeze} testId={`trail-freeze-info-${n}`} />}
        <NodeActions r={r} permissions={permissions} onAction={onAction} />
      </Flex>
      {freeze?.decisions.map((d) => (
        <DecisionLine key={d.id} d={d} permissions={permissions} onAction={onAction} />
      ))}
    </Flex>
  );
}

interface TreeItem {
  key: string;
  title: ReactNode;
  children: TreeItem[];
}

/** The money trail as a tree of layers, each account with its figures, timers and actions. */
export function TrailTree({
  tree,
  permissions,
  onAction,
}: {
  tree: TrailNode[];
  permissions: TrailPermissions;
  onAction: (a: MeasureAction) => void;
}) {
  const toTreeData = (nodes: TrailNode[]): TreeItem[] =>
    nodes.map((n) => ({
      key: n.request.id,
      title: <NodeTitle r={n.request} permissions={permissions} onAction={onAction} />,
      children: toTreeData(n.children),
    }));
  const count = (nodes: TrailNode[]): number => nodes.reduce((s, n) => s + 1 + count(n.children), 0);
  return (
    <Tree
      // New accounts arrive live: remount so they open expanded like the rest.
      key={count(tree)}
      treeData={toTreeData(tree)}
      defaultExpandAll
      selectable={false}
      showLine
      blockNode
      data-testid="report-trail"
    />
  );
}
