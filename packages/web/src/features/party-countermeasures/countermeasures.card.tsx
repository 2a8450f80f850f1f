import { countermeasureKindNamesZh, countermeasureRefusalReasons } from '@fanzha/domain';
import { useT } from '../../i18n';
import { MONO_STYLE } from '../../ui';
import { countermeasureAnswersFor } from './party-answers';
import { PartyQueueCard } from './party-queue.card';
import {
  useCountermeasureAnswer,
  useCountermeasureStream,
  usePendingCountermeasures,
} from './use-countermeasures';

/**
 * 技术反制: the countermeasures awaiting the liaison's organisation — an operator's blocks, takedowns and app
 * blocks, a bank's account restrictions, and lifts asked of either — live, answered in place.
 */
export function CountermeasuresCard({ party }: { party: 'operator' | 'bank' }) {
  const t = useT();
  const pending = usePendingCountermeasures();
  useCountermeasureStream();
  const answer = useCountermeasureAnswer();

  return (
    <PartyQueueCard
      testIdStem="countermeasure"
      tableTestId="countermeasures-open"
      texts={{
        title: t(party === 'bank' ? 'countermeasures.title.bank' : 'countermeasures.title'),
        empty: t('countermeasures.empty'),
        loadError: t('cm.loadError'),
        kind: t('countermeasures.col.kind'),
        due: t('countermeasures.col.due'),
        lift: t('countermeasures.lift'),
        overdue: t('countermeasures.overdue'),
        refuseTitle: t('countermeasures.refuse.title'),
        answer: (a) => t(`countermeasures.answer.${a}`),
        refusal: (reason) => t(`countermeasures.refusal.${reason}`),
      }}
      queue={pending}
      kindOf={(r) => ({ label: countermeasureKindNamesZh[r.kind], lift: r.status === 'lift_requested' })}
      columns={[
        {
          title: t('countermeasures.col.value'),
          key: 'value',
          render: (_, r) => <span style={MONO_STYLE}>{r.value}</span>,
        },
        { title: t('countermeasures.col.reason'), key: 'reason', render: (_, r) => r.liftReason ?? r.reason },
      ]}
      dueOf={(r) => ({ at: r.dueAt, overdue: r.isOverdue })}
      answersFor={countermeasureAnswersFor}
      refusalReasons={countermeasureRefusalReasons}
      defaultRefusal="no_such_target"
      answer={answer}
      // The key is made per click, so a retry of the same click changes nothing.
      variables={(id, body) => ({ id, body, key: crypto.randomUUID() })}
    />
  );
}
