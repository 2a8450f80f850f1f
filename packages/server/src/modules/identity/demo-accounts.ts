import type { Clock, Role } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DB } from '../../db/schema';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { newTotpSecret, TOTP_STEP_S, totpCode, totpStep } from '../../platform/crypto/totp';
import { publicRoute } from '../../platform/http/policy';
import {
  hasRealAdmin,
  listDemoAccountRows,
  listDemoUsers,
  listUsernames,
  updateUser,
} from './users.repository';
import type { UsersService } from './users.service';

/**
 * DEMO ONLY. The embedded demo seeds one account per role with a known password and an authenticator
 * already enrolled, and — only while FANZHA_DEMO is on — tells anyone their current codes, so that a
 * newcomer can try every console without an authenticator app. Never enabled in production.
 */
export const DEMO_PASSWORD = 'demo-fanzha-2026';

const demoAccounts: Array<{
  username: string;
  displayName: string;
  role: Role;
  bankCode?: string;
  operatorCode?: 'china_mobile';
  countyCode?: string;
}> = [
  { username: 'calltaker', displayName: '演示·接警员', role: 'call_taker' },
  { username: 'desk', displayName: '演示·止付专员', role: 'stop_payment_officer' },
  { username: 'icbc', displayName: '演示·工商银行驻场', role: 'bank_liaison', bankCode: 'ICBC' },
  { username: 'ccb', displayName: '演示·建设银行驻场', role: 'bank_liaison', bankCode: 'CCB' },
  {
    username: 'mobile',
    displayName: '演示·中国移动驻场',
    role: 'telecom_liaison',
    operatorCode: 'china_mobile',
  },
  { username: 'nanming', displayName: '演示·南明区民警', role: 'county_police', countyCode: '520102' },
  { username: 'quanzu', displayName: '演示·中心劝阻专席', role: 'persuader' },
  {
    username: 'nanming-quanzu',
    displayName: '演示·南明区劝阻员',
    role: 'persuader',
    countyCode: '520102',
  },
  { username: 'analyst', displayName: '演示·研判员', role: 'analyst' },
  { username: 'supervisor', displayName: '演示·值班长', role: 'supervisor' },
  { username: 'wall', displayName: '演示·大屏', role: 'wall' },
  { username: 'admin', displayName: '演示·系统管理员', role: 'admin' },
  { username: 'auditor', displayName: '演示·安全审计员', role: 'auditor' },
];

export async function seedDemoAccounts(deps: {
  db: Kysely<DB>;
  users: UsersService;
  clock: Clock;
  secretBox: SecretBox;
}) {
  const existing = new Set(await listUsernames(deps.db));
  for (const account of demoAccounts) {
    if (existing.has(account.username)) continue;
    const user = await deps.users.create(
      { at: deps.clock.now(), requestId: null, actor: null, origin: 'demo-seed' },
      { ...account, password: DEMO_PASSWORD },
      { isDemo: true },
    );
    await updateUser(deps.db, user.id, { totp_secret_enc: deps.secretBox.seal(newTotpSecret()) });
  }
  return demoAccounts;
}

/**
 * The demo turned off, on a database the demo used: its accounts (a published password, codes shown to anyone
 * who asks) are disabled — each audited (`user.disable`, origin `demo-off`), its sessions ended — so that a
 * real installation never keeps them. The demo turned on again enables them. Returns the usernames changed.
 */
export async function setDemoAccountsEnabled(
  deps: { db: Kysely<DB>; users: UsersService; clock: Clock },
  isEnabled: boolean,
): Promise<string[]> {
  const rows = await listDemoUsers(deps.db, isEnabled);
  const ctx = () => ({
    at: deps.clock.now(),
    requestId: null,
    actor: null,
    origin: isEnabled ? 'demo-seed' : 'demo-off',
  });
  for (const r of rows) await (isEnabled ? deps.users.enable(ctx(), r.id) : deps.users.disable(ctx(), r.id));
  return rows.map((r) => r.username);
}

const DemoAccount = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  password: z.string(),
  totpCode: z.string().describe('The current code (demo accounts only)'),
  codeValidForS: z.number().int(),
});

export function demoRoutes(deps: {
  db: Kysely<DB>;
  clock: Clock;
  secretBox: SecretBox;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/demo/accounts',
      {
        config: publicRoute('demo'),
        schema: {
          tags: ['demo'],
          summary: 'DEMO ONLY: the seeded accounts with their current TOTP codes',
          description:
            'Exists only while FANZHA_DEMO is on (the embedded demo). Lists accounts flagged as demo, never real ones.',
          response: { 200: z.object({ accounts: z.array(DemoAccount) }) },
        },
      },
      async () => {
        const now = deps.clock.now();
        const rows = await listDemoAccountRows(deps.db);
        const step = totpStep(now);
        const validFor = TOTP_STEP_S - (Math.floor(now.getTime() / 1000) % TOTP_STEP_S);
        return {
          accounts: rows
            .filter((r) => r.totp_secret_enc)
            .map((r) => ({
              username: r.username,
              displayName: r.display_name,
              role: r.role,
              password: DEMO_PASSWORD,
              totpCode: totpCode(deps.secretBox.open(r.totp_secret_enc!), step),
              codeValidForS: validFor,
            })),
        };
      },
    );
  };
}

/** Creates the configured first admin when the database has no admin yet (production bootstrap). */
export async function ensureBootstrapAdmin(
  deps: { db: Kysely<DB>; users: UsersService; clock: Clock },
  admin: { username: string; password: string },
): Promise<boolean> {
  if (await hasRealAdmin(deps.db)) return false;
  await deps.users.create(
    { at: deps.clock.now(), requestId: null, actor: null, origin: 'bootstrap' },
    { username: admin.username, displayName: admin.username, role: 'admin', password: admin.password },
  );
  return true;
}
