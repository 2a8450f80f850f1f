import type { MoneyAccountTable, MoneyTransferTable } from './schema.money-graph';
import type {
  TwoCardCaseTable,
  TwoCardHolderTable,
  TwoCardInstructionTable,
  TwoCardMeasureTable,
  TwoCardTable,
} from './schema.two-cards';
import type {
  AlertTable,
  BankFeedTable,
  BankInstructionTable,
  CountyTaskTable,
  DataKeyTable,
  FreezeRenewalTable,
  FreezeTable,
  FundDecisionTable,
  OnwardTransferTable,
  ReportTable,
  ReportTransferTable,
  StopPaymentTable,
} from './schema.case';
import type {
  ApiKeyTable,
  AppUserTable,
  AuditEntryTable,
  AuditHeadTable,
  AuditCheckpointTable,
  AuditCheckpointKeyTable,
  AuthChallengeTable,
  FieldSealPassTable,
  OutboxTable,
  ProcessedEventTable,
  SessionTable,
  SignInLimitTable,
  SignInRefusalTable,
  SignInThrottleTable,
  SignalKeyTable,
  WebhookRetryTable,
} from './schema.platform';
import type {
  WallDayTable,
  WallHourTable,
  WallReportTable,
  WallStopTable,
  WallTaskTable,
  WallEpisodeTable,
  WallTickerTable,
} from './schema.wall';
import type {
  IndicatorDecisionTable,
  IndicatorImportSourceTable,
  IndicatorImportTable,
  IndicatorSourceTable,
  IndicatorTable,
  IndicatorTallyTable,
} from './schema.indicators';
import type { SignalDeadLetterTable } from './schema.screening';
import type {
  CarrierRequestTable,
  EpisodeContactTable,
  EpisodeEventTable,
  EpisodeFollowUpTable,
  EpisodeTable,
  EpisodeWarningTable,
} from './schema.warnings';
import type { CallbackAttemptTable, CallbackSettingsTable, CallbackTable } from './schema.callbacks';
import type { PublicityCampaignTable, PublicityReportTable, PublicityWeekTable } from './schema.publicity';
import type { TaskActionTable, TaskTable } from './schema.tasks';
import type { PeriodReportTable } from './schema.period-reports';
import type {
  CountermeasureBatchTable,
  CountermeasureEventTable,
  CountermeasureTable,
} from './schema.countermeasures';
import type { AppealEffectTable, AppealTable } from './schema.appeals';
import type {
  ClusterEventTable,
  ClusterReportTable,
  ClusterTable,
  LinkValueTable,
  ReportLinkTable,
} from './schema.investigation';

/**
 * The database's types, one interface per table (tables singular, snake_case). Written by hand beside
 * the migrations, in `schema.case.ts`, `schema.platform.ts`, `schema.wall.ts`, `schema.indicators.ts`, `schema.screening.ts` and `schema.warnings.ts`; `database.test.ts` checks that

/**
 * The database's types, one interface per table (tables singular, snake_case). Written by hand beside
 * the migrations, in `schema.case.ts`, `schema.platform.ts`, `schema.wall.ts` and `schema.warnings.ts`; `database.test.ts` checks that
 * every column named here exists in the migrated database.
 */
export interface DB {
  outbox: OutboxTable;
  processed_event: ProcessedEventTable;
  webhook_retry: WebhookRetryTable;
  app_user: AppUserTable;
  sign_in_throttle: SignInThrottleTable;
  sign_in_limit: SignInLimitTable;
  sign_in_refusal: SignInRefusalTable;
  auth_challenge: AuthChallengeTable;
  session: SessionTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
  audit_checkpoint: AuditCheckpointTable;
  audit_checkpoint_key: AuditCheckpointKeyTable;
  report: ReportTable;
  report_transfer: ReportTransferTable;
  stop_payment: StopPaymentTable;
  onward_transfer: OnwardTransferTable;
  api_key: ApiKeyTable;
  signal_key: SignalKeyTable;
  field_seal_pass: FieldSealPassTable;
  account_freeze: FreezeTable;
  freeze_renewal: FreezeRenewalTable;
  fund_decision: FundDecisionTable;
  bank_feed: BankFeedTable;
  bank_instruction: BankInstructionTable;
  data_key: DataKeyTable;
  county_task: CountyTaskTable;
  alert: AlertTable;
  wall_hour: WallHourTable;
  wall_day: WallDayTable;
  wall_report: WallReportTable;
  wall_stop: WallStopTable;
  wall_task: WallTaskTable;
  wall_episode: WallEpisodeTable;
  wall_ticker: WallTickerTable;
  indicator: IndicatorTable;
  indicator_source: IndicatorSourceTable;
  indicator_decision: IndicatorDecisionTable;
  indicator_tally: IndicatorTallyTable;
  indicator_import: IndicatorImportTable;
  indicator_import_source: IndicatorImportSourceTable;
  signal_dead_letter: SignalDeadLetterTable;
  episode: EpisodeTable;
  episode_warning: EpisodeWarningTable;
  episode_contact: EpisodeContactTable;
  episode_event: EpisodeEventTable;
  episode_follow_up: EpisodeFollowUpTable;
  period_report: PeriodReportTable;
  carrier_request: CarrierRequestTable;
  countermeasure_batch: CountermeasureBatchTable;
  countermeasure: CountermeasureTable;
  countermeasure_event: CountermeasureEventTable;
  callback: CallbackTable;
  callback_attempt: CallbackAttemptTable;
  callback_settings: CallbackSettingsTable;
  publicity_week: PublicityWeekTable;
  publicity_report: PublicityReportTable;
  publicity_campaign: PublicityCampaignTable;
  task: TaskTable;
  task_action: TaskActionTable;
  link_value: LinkValueTable;
  cluster: ClusterTable;
  cluster_report: ClusterReportTable;
  report_link: ReportLinkTable;
  cluster_event: ClusterEventTable;
  money_account: MoneyAccountTable;
  money_transfer: MoneyTransferTable;
  two_card_holder: TwoCardHolderTable;
  two_card: TwoCardTable;
  two_card_case: TwoCardCaseTable;
  two_card_measure: TwoCardMeasureTable;
  two_card_instruction: TwoCardInstructionTable;
  appeal: AppealTable;
  appeal_effect: AppealEffectTable;
}

export type * from './schema.case';
export type * from './schema.platform';
export type * from './schema.wall';
export type * from './schema.indicators';
export type * from './schema.screening';
export type * from './schema.warnings';
export type * from './schema.callbacks';
export type * from './schema.publicity';
export type * from './schema.tasks';
export type * from './schema.investigation';
export type * from './schema.money-graph';
export type * from './schema.two-cards';
export type * from './schema.countermeasures';
export type * from './schema.appeals';
