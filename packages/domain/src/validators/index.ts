import { bankCardReasonMessagesZh } from './bank-card.validator';
import { divisionReasonMessagesZh } from './division.validator';
import { domainReasonMessagesZh } from './domain.validator';
import { idNumberReasonMessagesZh } from './id-number.validator';
import { mobileReasonMessagesZh } from './mobile.validator';
import { urlReasonMessagesZh } from './url.validator';

export * from './result';
export * from './luhn';
export * from './bank-card.validator';
export * from './mobile.validator';
export * from './id-number.validator';
export * from './division.validator';
export * from './domain.validator';
export * from './url.validator';

/** Chinese text for every validator reason code, for the UI (the API sends `reason` and English `message`). */
export const reasonMessagesZh: Readonly<Record<string, string>> = {
  ...bankCardReasonMessagesZh,
  ...mobileReasonMessagesZh,
  ...idNumberReasonMessagesZh,
  ...divisionReasonMessagesZh,
  ...urlReasonMessagesZh,
  // Last, so shared 'domain.*' codes read as about a domain rather than a URL's host.
  ...domainReasonMessagesZh,
};
