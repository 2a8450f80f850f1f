import {
  countermeasureAnswers,
  eventOfAnswer,
  nextCountermeasureStatus,
  nextTwoCardInstructionStatus,
  twoCardInstructionAnswers,
  type CountermeasureAnswer,
  type CountermeasureStatus,
  type TwoCardInstructionAnswer,
  type TwoCardInstructionStatus,
} from '@fanzha/domain';

// The answer buttons each row offers, read from the domain's state machines rather than copied here: a party
// is offered exactly the answers its instruction's lifecycle accepts from where it stands.

/** From `requested`: acknowledge, execute or refuse; from `acknowledged`: execute or refuse; a lift asked: lifted. */
export const countermeasureAnswersFor = ({
  status,
}: {
  status: CountermeasureStatus;
}): CountermeasureAnswer[] =>
  countermeasureAnswers.filter((a) => nextCountermeasureStatus(status, eventOfAnswer[a]) !== undefined);

/** From `sent`: acknowledge, execute or refuse; from `acknowledged`: execute or refuse (not the same again). */
export const twoCardAnswersFor = ({
  status,
}: {
  status: TwoCardInstructionStatus;
}): TwoCardInstructionAnswer[] =>
  twoCardInstructionAnswers.filter((a) => {
    const next = nextTwoCardInstructionStatus(status, a);
    return next !== undefined && next !== 'same';
  });
