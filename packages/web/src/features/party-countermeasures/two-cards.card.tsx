import { twoCardRefusalReasons } from '@fanzha/domain';
import { useT } from '../../i18n';
import { MONO_STYLE } from '../../ui';
import { twoCardAnswersFor } from './party-answers';
import { PartyQueueCard } from './party-queue.card';
import {
  usePendingTwoCardInstructions,
  useTwoCardInstructionAnswer,
  useTwoCardInstructionStream,
} from './use-two-card-instructions';

/**
 * 断卡惩戒: the two-cards measures the liaison's bank (account measures against holders whose cards it opened) or
 * operator (limits on new phone cards) is to carry out, applied or lifted — signed by the centre, live, answered
 * in place. The holder's ID number is shown here only, to the party the measure is addressed to.
 */
export function TwoCardsCard() {
  const t = useT();
  const pending = usePendingTwoCardInstructions();
  useTwoCardInstructionStream();
  const answer = useTwoCardInstructionAnswer();

  return (
    <PartyQueueCard
      testIdStem="two-card"
      tableTestId="two-cards-pending"
      texts={{
        title: t('twoCards.party.title'),
        empty: t('twoCards.party.empty'),
        loadError: t('twoCards.loadError'),
        kind: t('twoCards.col.kind'),
        due: t('twoCards.col.due'),
        lift: t('twoCards.action.lift'),
        overdue: t('twoCards.overdue'),
        refuseTitle: t('twoCards.refuse.title'),
        answer: (a) => t(`twoCards.answer.${a}`),
        refusal: (reason) => t(`twoCards.refusal.${reason}`),
      }}
      queue={pending}
      kindOf={(r) => ({ label: t(`twoCards.kind.${r.kind}`), lift: r.action === 'lift' })}
      columns={[
        {
          title: t('twoCards.col.idNumber'),
          key: 'holder',
          render: (_, r) => <span style={MONO_STYLE}>{r.instruction.holder.idNumber}</span>,
        },
        {
          title: t('twoCards.col.cards'),
          key: 'cards',
          render: (_, r) => <span style={MONO_STYLE}>{r.instruction.cards.join(', ') || '—'}</span>,
        },
        {
          title: t('twoCards.col.start'),
          key: 'period',
          render: (_, r) => `${r.instruction.startsAt.slice(0, 10)} – ${r.instruction.endsAt.slice(0, 10)}`,
        },
        { title: t('twoCards.col.unit'), key: 'unit', render: (_, r) => r.instruction.decidingUnit },
        {
          title: t('twoCards.col.reason'),
          key: 'reason',
          render: (_, r) => r.instruction.liftReason ?? r.instruction.reason,
        },
      ]}
      // Past its time it reads overdue at once, before the server's sweep marks it.
      dueOf={(r, now) => ({ at: r.dueAt, overdue: r.isOverdue || Date.parse(r.dueAt) <= now.getTime() })}
      answersFor={twoCardAnswersFor}
      refusalReasons={twoCardRefusalReasons}
      defaultRefusal="not_our_customer"
      answer={answer}
      variables={(id, body) => ({ id, body })}
    />
  );
}
