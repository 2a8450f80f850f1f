import { lookupKinds, publicRiskLevels, publicRiskReasons } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const LookupKind = z.enum(lookupKinds).meta({ id: 'LookupKind' });
export const PublicRiskLevel = z
  .enum(publicRiskLevels)
  .describe('high_risk, suspicious, or no_record — which does not mean safe')
  .meta({ id: 'PublicRiskLevel' });
export const PublicRiskReason = z.enum(publicRiskReasons).meta({ id: 'PublicRiskReason' });

const Bilingual = z
  .object({ 'zh-CN': z.string(), en: z.string() })
  .describe('The same text in Chinese and in English')
  .meta({ id: 'BilingualText' });

/** A public lookup: one phone number, URL or bank account, written any way. */
export const RiskLookupRequest = z
  .strictObject({
    kind: LookupKind,
    value: z
      .string()
      .min(1)
      .max(512)
      .describe(
        'The whole value, written any way: a phone number (+86, spaces and hyphens allowed), a URL or domain ' +
          '(looked up by its registrable domain), a bank account or card number. No wildcards or partial values.',
      ),
  })
  .meta({ id: 'RiskLookupRequest' });
export type RiskLookupRequest = z.infer<typeof RiskLookupRequest>;

/** What the public is told: the level and what to do next, nothing about the reports behind it. */
export const RiskLookupResult = z
  .strictObject({
    kind: LookupKind,
    value: z.string().describe('The value as looked up: E.164, the registrable domain, or the digits'),
    level: PublicRiskLevel,
    advice: z
      .object({ headline: Bilingual, steps: z.array(Bilingual).describe('What to do next, in order') })
      .meta({ id: 'RiskLookupAdvice' }),
    notice: Bilingual.describe('Carried by every answer: no record does not mean safe'),
    checkedAt: datetime,
  })
  .meta({ id: 'RiskLookupResult' });
export type RiskLookupResult = z.infer<typeof RiskLookupResult>;

/** Most payees in one payee-check call. */
export const PAYEE_CHECK_MAX = 100;

export const PayeeCheckItem = z
  .strictObject({
    ref: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only')
      .describe(
        "Your reference for this payee (unique in the call), echoed in the answer: never the payer's",
      ),
    bankCode: z
      .string()
      .min(2)
      .max(16)
      .optional()
      .describe("The payee's bank, if known (kept for the answer's context; the account decides)"),
    account: z
      .string()
      .min(1)
      .max(64)
      .describe('The payee account or card number, spaces and hyphens allowed'),
    name: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('The payee name as entered; not stored and not used to decide the level'),
  })
  .meta({ id: 'PayeeCheckItem' });
export type PayeeCheckItem = z.infer<typeof PayeeCheckItem>;

export const PayeeCheckRequest = z
  .strictObject({
    payees: z.array(PayeeCheckItem).min(1).max(PAYEE_CHECK_MAX),
  })
  .meta({ id: 'PayeeCheckRequest' });
export type PayeeCheckRequest = z.infer<typeof PayeeCheckRequest>;

export const PayeeCheckResultItem = z
  .strictObject({
    ref: z.string(),
    account: z.string().describe('The account as looked up (its digits)'),
    level: PublicRiskLevel,
    reason: PublicRiskReason.describe(
      'reported_high_risk → high_risk; reported, shared_value → suspicious; reassigned, cleared, not_found → ' +
        'no_record',
    ),
  })
  .meta({ id: 'PayeeCheckResultItem' });

export const PayeeCheckResult = z
  .strictObject({
    results: z.array(PayeeCheckResultItem).describe('One per payee, in the order sent'),
    checkedAt: datetime,
  })
  .meta({ id: 'PayeeCheckResult' });
export type PayeeCheckResult = z.infer<typeof PayeeCheckResult>;

/** The headers of a payee check: a bank system's key signs the body as sent. */
export const PayeeCheckHeaders = z
  .object({
    'x-fanzha-signature': z
      .string()
      .max(200)
      .optional()
      .describe(
        'Required with a bank key: Ed25519 (base64) over the canonical JSON of `{ payeeCheck: <the request body as sent> }`',
      ),
  })
  .passthrough();
