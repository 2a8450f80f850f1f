import { invalid, type Validation } from '../validators/result';
import { appReasonMessagesZh, normaliseApp } from './app.normaliser';
import { bankAccountReasonMessagesZh, normaliseBankAccount } from './bank-account.normaliser';
import { deviceReasonMessagesZh, normaliseImei } from './device.normaliser';
import { normaliseDomain, siteReasonMessagesZh } from './domain.normaliser';
import { normalisePhone, phoneReasonMessagesZh } from './phone.normaliser';
import { normaliseSocialAccount, socialReasonMessagesZh } from './social-account.normaliser';

/** What an indicator (涉诈号码/网址/APP/账户/设备) names; each kind has one normal form. A device is its IMEI. */
export const indicatorKinds = ['phone', 'domain', 'app', 'social', 'account', 'device'] as const;
export type IndicatorKind = (typeof indicatorKinds)[number];

export const indicatorKindNamesZh: Record<IndicatorKind, string> = {
  phone: '涉诈电话',
  domain: '涉诈网址',
  app: '涉诈APP',
  social: '涉诈社交账号',
  account: '涉诈账户',
  device: '涉诈设备',
};

/**
 * The normal form of a value of the given kind, or the field's problem. A social account is written
 * 'platform:id' ('wechat:zhang_san88'); every normal form normalises to itself.
 */
export function normaliseIndicator(kind: IndicatorKind, value: string): Validation<string> {
  switch (kind) {
    case 'phone':
      return normalisePhone(value);
    case 'domain':
      return normaliseDomain(value);
    case 'app':
      return normaliseApp(value);
    case 'account':
      return normaliseBankAccount(value);
    case 'device':
      return normaliseImei(value);
    case 'social': {
      const colon = value.indexOf(':');
      if (colon < 0) {
        return invalid(
          'social.format',
          'A social account is written platform:id, such as wechat:zhang_san88.',
        );
      }
      return normaliseSocialAccount(value.slice(0, colon), value.slice(colon + 1));
    }
  }
}

/** The string the matcher hashes: kind and normal form, so a number and an account of the same digits differ. */
export function indicatorKey(kind: IndicatorKind, normalised: string): string {
  return `${kind}:${normalised}`;
}

/** Chinese text for every reason code the normalisers add to the validators' ones. */
export const indicatorReasonMessagesZh: Readonly<Record<string, string>> = {
  ...phoneReasonMessagesZh,
  ...siteReasonMessagesZh,
  ...appReasonMessagesZh,
  ...socialReasonMessagesZh,
  ...bankAccountReasonMessagesZh,
  ...deviceReasonMessagesZh,
};
