import { z } from 'zod';
import { datetime } from './instant';

export const BankKeyView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    bankCode: z.string(),
    publicKeyPem: z.string(),
    webhookUrl: z.string().nullable(),
    createdAt: datetime,
    revokedAt: datetime.nullable(),
  })
  .meta({ id: 'BankKey' });
export type BankKeyView = z.infer<typeof BankKeyView>;

export const CreateBankKeyRequest = z
  .strictObject({
    name: z.string().trim().min(3).max(64).describe("e.g. 'ICBC core banking gateway'"),
    bankCode: z.string().min(2).max(16),
    publicKeyPem: z
      .string()
      .max(2000)
      .describe(
        "The bank's Ed25519 public key (SPKI PEM): its system signs every answer with the private half",
      ),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .describe(
        'Where to POST each instruction as it is sent or changes, signed (the pull queue stays the source of ' +
          'truth). https to a public address only; plain http and loopback, private or link-local addresses are ' +
          'refused unless the operator lists the origin in FANZHA_WEBHOOK_ALLOW; never with a username or password ' +
          '(`credentials`)',
      ),
  })
  .meta({ id: 'CreateBankKeyRequest' });

/** The key itself is shown once, at creation; fanzha keeps only its hash. */
export const CreatedBankKey = BankKeyView.extend({
  key: z.string().describe('Send as `Authorization: Bearer <key>`'),
}).meta({
  id: 'CreatedBankKey',
});
export type CreatedBankKey = z.infer<typeof CreatedBankKey>;
export const BankKeyList = z.object({ keys: z.array(BankKeyView) }).meta({ id: 'BankKeyList' });
