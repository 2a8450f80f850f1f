import { createHash, randomUUID } from 'node:crypto';
import { indicatorKindNamesZh, type IndicatorKind } from '@fanzha/domain';
import type { IndicatorRow } from './indicators.repository';

/**
 * An indicator as a STIX 2.1 `indicator` object (see docs/indicator-exchange.md for the mapping). Its id is
 * a UUIDv5 of the kind and normal form, so every export names the same indicator with the same id and a
 * platform taking them again (MISP, OpenCTI) updates rather than duplicates it.
 */

/** The namespace of fanzha's STIX ids (a fixed UUID, chosen once). */
const NAMESPACE = 'a3c1e9b0-5f6e-4d8a-9b2c-7e4f0d1a2b3c';

export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A string literal of a STIX pattern: quotes and backslashes escaped. */
const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The pattern of an indicator's normal form. */
export function stixPattern(kind: IndicatorKind, value: string): string {
  switch (kind) {
    case 'phone':
      // STIX 2.1 has no phone number object: a custom one, as the spec allows for custom objects.
      return `[x-fanzha-phone-number:value = ${lit(value)}]`;
    case 'domain':
      return `[domain-name:value = ${lit(value)}]`;
    case 'app':
      return SHA256_HEX.test(value)
        ? `[file:hashes.'SHA-256' = ${lit(value)}]`
        : `[software:name = ${lit(value)}]`;
    case 'social': {
      const colon = value.indexOf(':');
      return `[user-account:account_type = ${lit(value.slice(0, colon))} AND user-account:account_login = ${lit(value.slice(colon + 1))}]`;
    }
    case 'account':
      return `[x-fanzha-bank-account:account_number = ${lit(value)}]`;
    case 'device':
      // STIX 2.1 has no device object: a custom one, as for phones.
      return `[x-fanzha-device:imei = ${lit(value)}]`;
  }
}

/** STIX timestamps: UTC with milliseconds. */
const ts = (d: Date) => d.toISOString();

export function indicatorStix(r: IndicatorRow, note: string) {
  const isBenign = r.status === 'not_fraud';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidV5(`${r.kind}:${r.value}`)}`,
    created: ts(r.created_at),
    modified: ts(r.updated_at > r.created_at ? r.updated_at : r.created_at),
    name: `${indicatorKindNamesZh[r.kind]} ${r.value}`,
    ...(note ? { description: note } : {}),
    indicator_types: [isBenign ? 'benign' : 'malicious-activity'],
    pattern: stixPattern(r.kind, r.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: ts(r.first_seen_at),
    labels: ['fraud', `kind:${r.kind}`, `risk:${r.risk_level}`, `status:${r.status}`],
    x_fanzha_kind: r.kind,
    x_fanzha_value: r.value,
    x_fanzha_status: r.status,
    x_fanzha_risk_level: r.risk_level,
    x_fanzha_report_count: Number(r.report_count),
    x_fanzha_last_seen: ts(r.last_seen_at),
  };
}

/** A bundle's id: new for each export (a bundle is a transport, not an object to keep). */
export const stixBundleId = () => `bundle--${randomUUID()}`;
