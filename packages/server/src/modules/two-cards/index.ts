// Two cards (断卡): the bank cards and SIMs found in cases, their holders and where they were opened, the
// counts per holder and the league of branches and outlets, the measures (惩戒措施) against holders and their
// hand-off to county police.
export {
  applyTwoCardEvents,
  startTwoCardsConsumer,
  TWO_CARDS_CONSUMER,
  type TwoCardsConsumerDeps,
} from './two-cards.consumer';
export { twoCardRoutes } from './two-cards.routes';
export { createTwoCardsService, type TwoCardsService } from './two-cards.service';
export { startTwoCardInstructionSweep } from './two-cards.instructions';
