// The money graph (资金图谱): every transfer fanzha knows — a victim's payments from reports, the onward
// transfers from banks' answers — recorded in the database and held in each API process's memory for tracing.
export {
  applyMoneyGraphEvents,
  MONEY_GRAPH_CONSUMER,
  startMoneyGraphConsumer,
  type MoneyGraphConsumerDeps,
} from './money-graph.consumer';
export { accountKey, victimKey } from './money-graph.keys';
export {
  createLiveMoneyGraph,
  registerMoneyGraphMetrics,
  startLiveMoneyGraph,
  type LiveMoneyGraph,
} from './money-graph.live';
export { moneyGraphRoutes } from './money-graph.routes';
export { createMoneyGraphService, type MoneyGraphService } from './money-graph.service';
