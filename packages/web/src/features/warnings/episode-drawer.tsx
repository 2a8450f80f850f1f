import type { EpisodeView } from '@fanzha/contracts';
import {
  gradeFactors,
  majorBanks,
  persuasionOutcomes,
  type GradeFactor,
  type PersuasionOutcome,
} from '@fanzha/domain';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Input,
  InputNumber,
  List,
  Select,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { useMe } from '../../session';
import { MONO_STYLE, formatCentreTime, formatYuan } from '../../ui';
import { GradeTag, StepTag, episodeCounty } from './episode-labels';
import { useEpisode, useEpisodeCommand, type EpisodeCommand } from './use-episodes';

// Outcomes a persuader records by hand; `duplicate` and `not_fraud` close the episode like `persuaded`.
const OUTCOME_STYLE: Partial<Record<PersuasionOutcome, 'primary' | 'danger'>> = {
  persuaded: 'primary',
  already_paid: 'danger',
};

const HOLD_FROM = new Set(['carrier_assist', 'visit']);
const BANK_OPTIONS = majorBanks.map((b) => ({ value: b.code, label: `${b.nameZh} (${b.code})` }));
const AT_BANK_COLOURS: Record<string, string> = {
  sent: 'blue',
  acknowledged: 'geekblue',
  held: 'gold',
  refused: 'red',
  releasing: 'cyan',
  released: 'default',
  lapsed: 'default',
};

type AtBank = NonNullable<NonNullable<EpisodeView['ladder']['hold']>['atBank']>;

/** The hold at the person's bank: its state there, and what the bank confirmed or why it refused. */
function HoldAtBank({ atBank, isEndShown }: { atBank: AtBank; isEndShown: boolean }) {
  const t = useT();
  const answer = atBank.release ?? atBank.hold;
  return (
    <Flex vertical gap={4} data-testid="episode-hold-bank" data-state={atBank.state}>
      <Flex gap={8} align="center" wrap>
        <Tag color={AT_BANK_COLOURS[atBank.state]} data-testid="episode-hold-bank-state">
          {t(`warnings.hold.bank.${atBank.state}`)}
        </Tag>
        <Typography.Text>
          {atBank.bankName ?? atBank.bankCode}
          {atBank.account ? ` · ${atBank.account}` : ''}
        </Typography.Text>
      </Flex>
      {atBank.state === 'refused' && (
        <Typography.Text type="danger" data-testid="episode-hold-bank-reason">
          {t('warnings.hold.bank.refusedBecause', {
            reason: atBank.hold.failureReason ?? '',
            note: atBank.hold.note ?? '',
          })}
        </Typography.Text>
      )}
      {answer.executedAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('warnings.hold.bank.confirmedAt', { at: formatCentreTime(answer.executedAt) })}
        </Typography.Text>
      )}
      {isEndShown && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('warnings.hold.until', { at: formatCentreTime(atBank.endsAt) })}
        </Typography.Text>
      )}
    </Flex>
  );
}

function HoldSection({ episode, run }: { episode: EpisodeView; run: (c: EpisodeCommand) => void }) {
  const t = useT();
  const me = useMe();
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState<number | null>(24);
  const [bankCode, setBankCode] = useState<string | undefined>(undefined);
  const [account, setAccount] = useState('');
  const hold = episode.ladder.hold;
  if (episode.step === 'hold_pending' && hold) {
    const isOwn = hold.requestedBy === me.id;
    return (
      <Flex vertical gap={8} data-testid="episode-hold">
        <Typography.Text>
          {t('warnings.hold.requestedBy', {
            user: isOwn ? me.displayName : hold.requestedBy.slice(0, 8),
            hours: hold.hours,
            reason: hold.reason,
          })}
        </Typography.Text>
        {hold.bankCode && (
          <Typography.Text type="secondary" data-testid="episode-hold-bank-code">
            {t('warnings.hold.toBank', { bank: hold.bankCode, account: hold.account ?? '—' })}
          </Typography.Text>
        )}
        {isOwn ? (
          <Typography.Text type="secondary">{t('warnings.hold.ownRequest')}</Typography.Text>
        ) : (
          <Flex gap={8}>
            <Button
              type="primary"
              onClick={() => run({ kind: 'approve' })}
              data-testid="episode-hold-approve"
            >
              {t('warnings.hold.approve')}
            </Button>
            <Button onClick={() => run({ kind: 'reject' })} data-testid="episode-hold-reject">
              {t('warnings.hold.reject')}
            </Button>
          </Flex>
        )}
      </Flex>
    );
  }
  if (episode.step === 'hold' && hold) {
    return (
      <Flex vertical gap={8} data-testid="episode-hold">
        <Typography.Text data-testid="episode-hold-until">
          {t('warnings.hold.until', { at: formatCentreTime(hold.endsAt) })}
        </Typography.Text>
        {hold.atBank && <HoldAtBank atBank={hold.atBank} isEndShown={false} />}
        <Button danger onClick={() => run({ kind: 'release' })} data-testid="episode-hold-release">
          {t('warnings.hold.release')}
        </Button>
      </Flex>
    );
  }
  if (!HOLD_FROM.has(episode.step)) return null;
  const isReady = reason.trim().length >= 4 && hours !== null && hours >= 1 && hours <= 72;
  return (
    <Flex vertical gap={8} data-testid="episode-hold">
      <Typography.Text type="secondary">{t('warnings.hold.hint')}</Typography.Text>
      <Input.TextArea
        rows={2}
        maxLength={500}
        placeholder={t('warnings.hold.reason')}
        aria-label={t('warnings.hold.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="episode-hold-reason"
      />
      <Flex gap={8} align="center" wrap>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 220 }}
          placeholder={t('warnings.hold.bank')}
          aria-label={t('warnings.hold.bank')}
          value={bankCode}
          onChange={(v: string | undefined) => setBankCode(v)}
          options={BANK_OPTIONS}
          data-testid="episode-hold-bank-select"
        />
        <Input
          style={{ width: 220, ...MONO_STYLE }}
          placeholder={t('warnings.hold.account')}
          aria-label={t('warnings.hold.account')}
          value={account}
          onChange={(ev) => setAccount(ev.target.value)}
          data-testid="episode-hold-account"
        />
      </Flex>
      <Flex gap={8} align="center">
        <InputNumber
          min={1}
          max={72}
          precision={0}
          value={hours}
          onChange={setHours}
          aria-label={t('warnings.hold.hours')}
          addonAfter="h"
          data-testid="episode-hold-hours"
        />
        <Button
          disabled={!isReady}
          onClick={() =>
            run({
              kind: 'hold',
              reason: reason.trim(),
              hours: hours ?? 0,
              ...(bankCode ? { bankCode } : {}),
              ...(account.trim() ? { account: account.trim() } : {}),
            })
          }
          data-testid="episode-hold-request"
        >
          {t('warnings.hold.request')}
        </Button>
      </Flex>
    </Flex>
  );
}

/** A grading factor's name for staff; a factor this build does not know is shown as its code. */
function useFactorName() {
  const t = useT();
  return (factor: string) =>
    (gradeFactors as readonly string[]).includes(factor)
      ? t(`warnings.factor.${factor as GradeFactor}`)
      : factor;
}

/** One episode as the persuader works it: who, why (each warning and its factors), what was done, what next. */
export function EpisodeDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const episode = useEpisode(id);
  const command = useEpisodeCommand();
  const [note, setNote] = useState('');
  const e = episode.data;
  const factorName = useFactorName();

  const run = (c: EpisodeCommand) =>
    command.mutate(
      { id, command: c, key: crypto.randomUUID() },
      {
        onSuccess: () => {
          if (c.kind === 'outcome') {
            void message.success(t('warnings.done', { outcome: t(`warnings.outcome.${c.outcome}`) }));
            setNote('');
          }
        },
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );

  return (
    <Drawer
      open
      width={640}
      onClose={onClose}
      title={e ? t('warnings.drawer.title', { phone: e.personPhoneMasked ?? '—' }) : ''}
      data-testid="episode-drawer"
      destroyOnHidden
    >
      {episode.isError && <Alert type="error" showIcon title={errorText(locale, episode.error)} />}
      {e && (
        <Flex vertical gap={12} data-testid="episode-detail" data-step={e.step} data-open={String(e.isOpen)}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('warnings.col.grade')}>
              <GradeTag grade={e.grade} testId="episode-grade" />
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.col.step')}>
              <StepTag step={e.step} isOverdue={e.isOverdue} testId="episode-step" />
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.person.phone')}>
              <span style={MONO_STYLE} data-testid="episode-phone">
                {e.person.phone ?? '—'}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.person.name')}>{e.person.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('warnings.person.idNumber')} span={2}>
              <span style={MONO_STYLE}>{e.person.idNumber ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.col.county')}>
              {episodeCounty(e, t('warnings.routed.centre'))}
              <Typography.Text type="secondary"> · {t(`warnings.routed.${e.routedBy}`)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.openedAt')}>
              {formatCentreTime(e.openedAt)}
            </Descriptions.Item>
          </Descriptions>
          {e.intakeDraftWantedAt && (
            <Alert
              type="warning"
              showIcon
              data-testid="episode-intake-report"
              title={
                e.intakeReport
                  ? t('warnings.intakeReport', {
                      number: e.intakeReport.number,
                      status: t(
                        `warnings.intakeReport.${e.intakeReport.status === 'draft' ? 'draft' : 'filed'}`,
                      ),
                    })
                  : t('warnings.intakeWanted')
              }
            />
          )}

          {e.isOpen && (
            <>
              <Divider titlePlacement="start" style={{ margin: '4px 0' }}>
                {t('warnings.recordOutcome')}
              </Divider>
              <Input
                placeholder={t('warnings.note')}
                aria-label={t('warnings.note')}
                maxLength={500}
                value={note}
                onChange={(ev) => setNote(ev.target.value)}
                data-testid="episode-note"
              />
              <Flex gap={6} wrap>
                {persuasionOutcomes.map((outcome) => (
                  <Button
                    key={outcome}
                    type={OUTCOME_STYLE[outcome] === 'primary' ? 'primary' : 'default'}
                    danger={OUTCOME_STYLE[outcome] === 'danger'}
                    loading={command.isPending && command.variables.command.kind === 'outcome'}
                    onClick={() =>
                      run({ kind: 'outcome', outcome, ...(note.trim() ? { note: note.trim() } : {}) })
                    }
                    data-testid={`episode-outcome-${outcome}`}
                  >
                    {t(`warnings.outcome.${outcome}`)}
                  </Button>
                ))}
              </Flex>
              <HoldSection episode={e} run={run} />
            </>
          )}

          {!e.isOpen && e.ladder.hold?.atBank && <HoldAtBank atBank={e.ladder.hold.atBank} isEndShown />}

          <Divider titlePlacement="start" style={{ margin: '4px 0' }}>
            {t('warnings.warnings', { n: e.warnings.length })}
          </Divider>
          <List
            size="small"
            dataSource={e.warnings}
            data-testid="episode-warnings"
            renderItem={(w) => (
              <List.Item key={`${w.source}/${w.signalId}`}>
                <Flex vertical gap={2} style={{ width: '100%' }}>
                  <Flex gap={8} align="center" wrap>
                    <GradeTag grade={w.grade} />
                    <Typography.Text strong>{t(`warnings.signal.${w.signalKind}`)}</Typography.Text>
                    {w.indicator && <span style={MONO_STYLE}>{w.indicator.value}</span>}
                    {w.amountFen !== null && <span style={MONO_STYLE}>{formatYuan(w.amountFen)}</span>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatCentreTime(w.signalAt)} · {w.source}
                    </Typography.Text>
                  </Flex>
                  <Flex gap={4} wrap>
                    {w.factors.map((f) => (
                      <Tag key={f.factor}>
                        {t('warnings.factor', { factor: factorName(f.factor), points: f.points })}
                      </Tag>
                    ))}
                  </Flex>
                </Flex>
              </List.Item>
            )}
          />

          <Divider titlePlacement="start" style={{ margin: '4px 0' }}>
            {t('warnings.contacts')}
          </Divider>
          <List
            size="small"
            dataSource={e.contacts}
            data-testid="episode-contacts"
            renderItem={(c) => (
              <List.Item key={c.id}>
                <Flex gap={8} align="center" wrap>
                  <Tag>{t(`warnings.channel.${c.channel}`)}</Tag>
                  <Typography.Text type="secondary">
                    {t(`warnings.contact.status.${c.status}`)}
                  </Typography.Text>
                  {c.carrier && (
                    <Tag
                      color={
                        c.carrier.answer === null ? 'processing' : c.status === 'sent' ? 'success' : 'error'
                      }
                      data-testid="episode-carrier"
                      data-answer={c.carrier.answer ?? 'open'}
                    >
                      {t(`operator.name.${c.carrier.operatorCode}`)} ·{' '}
                      {c.carrier.answer
                        ? t(`operator.answer.${c.carrier.answer}`)
                        : t('operator.status.open')}
                      {c.carrier.reason ? `（${c.carrier.reason}）` : ''}
                    </Tag>
                  )}
                  {c.verificationCode && (
                    <span style={MONO_STYLE} data-testid="episode-verification-code">
                      {t('warnings.contact.code', { code: c.verificationCode })}
                    </span>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatCentreTime(c.sentAt ?? c.createdAt)}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />

          <Divider titlePlacement="start" style={{ margin: '4px 0' }}>
            {t('warnings.history')}
          </Divider>
          <Timeline
            items={e.ladder.history.map((h, i) => ({
              key: i,
              content: (
                <span>
                  {formatCentreTime(h.at)} · {h.event} → {t(`warnings.step.${h.step}`)}
                </span>
              ),
            }))}
          />
        </Flex>
      )}
    </Drawer>
  );
}
