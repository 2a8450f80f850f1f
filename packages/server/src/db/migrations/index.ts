import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';
import * as m0002 from './0002-identity-audit';
import * as m0003 from './0003-core-loop';
import * as m0004 from './0004-after-the-stop';
import * as m0005 from './0005-wall';
import * as m0006 from './0006-bank-protocol';
import * as m0007 from './0007-client-address-sign-in-limits';
import * as m0008 from './0008-one-time-password';
import * as m0009 from './0009-sign-in-refusal-bursts';
import * as m0010 from './0010-audit-checkpoints';
import * as m0011 from './0011-personal-data-at-rest';
import * as m0012 from './0012-sign-in-refusals-per-address';
import * as m0013 from './0013-bank-feed-sequencer';
import * as m0014 from './0014-indicators';
import * as m0015 from './0015-signal-dead-letters';
import * as m0016 from './0016-warnings';
import * as m0017 from './0017-personal-data-documents';
import * as m0018 from './0018-wall-episodes';
import * as m0019 from './0019-signal-keys';
import * as m0020 from './0020-protective-holds';
import * as m0021 from './0021-carrier-assist';
import * as m0022 from './0022-episode-follow-up';
import * as m0023 from './0023-tasks';
import * as m0024 from './0024-callbacks';
import * as m0025 from './0025-publicity';
import * as m0026 from './0026-period-reports';
import * as m0028 from './0028-field-seal-pass';
import * as m0029 from './0029-money-graph';
import * as m0030 from './0030-case-links';
import * as m0032 from './0032-indicator-imports';
import * as m0033 from './0033-countermeasures';
import * as m0034 from './0034-indicator-registry';
import * as m0035 from './0035-two-cards';
import * as m0036 from './0036-appeals';
import * as m0037 from './0037-device-indicators';
import * as m0040 from './0040-signal-key-webhook';
import * as m0041 from './0041-countermeasure-lift-signature';
import * as m0042 from './0042-two-card-instructions';
import * as m0043 from './0043-appeal-effects';
import * as m0044 from './0044-import-source-unchecked';
import * as m0045 from './0045-import-source-unindexed';
import * as m0046 from './0046-two-card-instruction-due';
import * as m0047 from './0047-import-stage-dropped';
import * as m0048 from './0048-appeal-notices';
import * as m0049 from './0049-wall-fen-numeric';
import * as m0050 from './0050-webhook-retry';
import * as m0051 from './0051-outbox-reseal';
import * as m0052 from './0052-bank-deadlines-recomputed';
import * as m0053 from './0053-two-card-instruction-withdrawn';
import * as m0054 from './0054-follow-up-contacts-recounted';
import * as m0055 from './0055-episode-contact-withdrawn';

/** Every migration in order. Names sort; add, never edit. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-identity-audit': m0002,
  '0003-core-loop': m0003,
  '0004-after-the-stop': m0004,
  '0005-wall': m0005,
  '0006-bank-protocol': m0006,
  '0007-client-address-sign-in-limits': m0007,
  '0008-one-time-password': m0008,
  '0009-sign-in-refusal-bursts': m0009,
  '0010-audit-checkpoints': m0010,
  '0011-personal-data-at-rest': m0011,
  '0012-sign-in-refusals-per-address': m0012,
  '0013-bank-feed-sequencer': m0013,
  '0014-indicators': m0014,
  '0015-signal-dead-letters': m0015,
  '0016-warnings': m0016,
  '0017-personal-data-documents': m0017,
  '0018-wall-episodes': m0018,
  '0019-signal-keys': m0019,
  '0020-protective-holds': m0020,
  '0021-carrier-assist': m0021,
  '0022-episode-follow-up': m0022,
  '0023-tasks': m0023,
  '0024-callbacks': m0024,
  '0025-publicity': m0025,
  '0026-period-reports': m0026,
  '0028-field-seal-pass': m0028,
  '0029-money-graph': m0029,
  '0030-case-links': m0030,
  '0032-indicator-imports': m0032,
  '0033-countermeasures': m0033,
  '0034-indicator-registry': m0034,
  '0035-two-cards': m0035,
  '0036-appeals': m0036,
  '0037-device-indicators': m0037,
  '0040-signal-key-webhook': m0040,
  '0041-countermeasure-lift-signature': m0041,
  '0042-two-card-instructions': m0042,
  '0043-appeal-effects': m0043,
  '0044-import-source-unchecked': m0044,
  '0045-import-source-unindexed': m0045,
  '0046-two-card-instruction-due': m0046,
  '0047-import-stage-dropped': m0047,
  '0048-appeal-notices': m0048,
  '0049-wall-fen-numeric': m0049,
  '0050-webhook-retry': m0050,
  '0051-outbox-reseal': m0051,
  '0052-bank-deadlines-recomputed': m0052,
  '0053-two-card-instruction-withdrawn': m0053,
  '0054-follow-up-contacts-recounted': m0054,
  '0055-episode-contact-withdrawn': m0055,
};
