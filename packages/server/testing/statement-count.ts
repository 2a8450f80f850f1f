import { randomUUID } from 'node:crypto';
import type { InstructionResult } from '@fanzha/contracts';
import type { Clock, Role } from '@fanzha/domain';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { DB } from '../src/db/schema';
import type { Actor } from '../src/platform/actor';
import {
  createFieldKeys,
  fieldKeysOf,
  openFieldKeys,
  withFieldKeys,
} from '../src/platform/crypto/field-cipher';
import { createSigner } from '../src/platform/crypto/signer';
import { createBankInstructionService } from '../src/modules/bank-protocol/index';
import { createUsersService } from '../src/modules/identity/index';
import { intakeReports, markReportMilestones } from '../src/modules/reports/index';
import { createStopPaymentService } from '../src/modules/stop-payment/index';
import { cardOf, draft, type TestBank } from './core-loop-fixtures';

/**
 * A view of `db` that counts the statements run through it (BEGIN and COMMIT are not counted: they are the
 * same two for any transaction). Other users of the same database are not counted.
 */
export function countingDb(db: Kysely<DB>): {
  db: Kysely<DB>;
  count: () => number;
  reset: () => void;
  /** What each statement counted was, by kind and first table (for a failing assertion's message). */
  kinds: string[];
} {
  let n = 0;
  const kinds: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      kinds.push(
        `${args.node.kind.replace('QueryNode', '')} ${JSON.stringify(args.node).match(/"name":"(\w+)"/)?.[1] ?? ''}`,
      );
      return args.node;
    },
    transformResult: async (args) => {
      n++;
      return args.result;
    },
  };
  return {
    db: db.withPlugin(plugin),
    count: () => n,
    reset: () => {
      n = 0;
      kinds.length = 0;
    },
    kinds,
  };
}

/** An actor as the routes hand one to a service, for calling services directly (never expiring). */
export const actorOf = (id: string, username: string, role: Role, bankCode: string | null = null): Actor => ({
  userId: id,
  username,
  displayName: username,
  role,
  bankCode,
  operatorCode: null,
  countyCode: null,
  isDemo: false,
  sessionIdHash: '',
  idleExpiresAt: new Date(8.64e15),
  expiresAt: new Date(8.64e15),
});

/**
 * Counts the statements of the two hot writes on `db`, through the services as the routes call them: one
 * whole report taken in (`POST /api/reports`), and a bank's answer to its emergency stop with `onward`
 * onward transfers, each to an account not yet in the case. Makes its own users, report and request; `send`
 * and `answer` are what the desk's send of that request and the answer ran, statement by statement (kind and
 * first table).
 */
export async function measureStatements(
  db: Kysely<DB>,
  clock: Clock,
  onward = 4,
): Promise<{
  reportIntake: number;
  bankAnswer: number;
  requestId: string;
  send: string[];
  answer: string[];
  /** The report's second request sent: its first instruction's moment is already set. */
  laterSend: string[];
  /** An answer to a request of the next layer (none without onward transfers): both moments already set. */
  laterAnswer: string[];
}> {
  // The repositories encrypt personal fields with the keys the handle carries, as the app's handle does (a
  // running server's, or test keys on a test database).
  const carried = (() => {
    try {
      return fieldKeysOf(db);
    } catch {
      return undefined;
    }
  })();
  const keys = carried ?? createFieldKeys(Buffer.alloc(32, 7));
  if (!carried) await openFieldKeys(db, keys, clock.now());
  const counted = countingDb(withFieldKeys(db, keys));
  const wake = () => {};
  const bankInstructions = createBankInstructionService({
    db: counted.db,
    clock,
    signer: createSigner(Buffer.alloc(32, 7)),
    wake,
  });
  const stopPayments = createStopPaymentService({
    db: counted.db,
    clock,
    bankInstructions,
    wake,
    markReportMilestones,
  });
  const users = createUsersService({ db });
  const tag = randomUUID().slice(0, 8);
  const at = { at: clock.now(), requestId: null, actor: null };
  const make = async (role: Role, bankCode?: string) => {
    const username = `cnt-${role.slice(0, 4)}${bankCode ? `-${bankCode.toLowerCase()}` : ''}-${tag}`;
    const u = await users.create(at, {
      username,
      displayName: username,
      role,
      password: 'Count-Passw0rd-2026',
      ...(bankCode ? { bankCode } : {}),
    });
    return actorOf(u.id, username, role, bankCode ?? null);
  };
  const taker = await make('call_taker');
  const desk = await make('stop_payment_officer');
  const bank = await make('bank_liaison', 'ICBC');
  const seed = 500_000_000 + Math.floor(Math.random() * 1e8);

  const { version: _v, ...whole } = draft({
    at: clock.now(),
    transfers: [
      { number: cardOf('ICBC', seed), amountFen: 5_000_000 },
      { number: cardOf('ICBC', seed + 100), amountFen: 2_000_000 },
    ],
    complete: true,
  });
  counted.reset();
  const taken = await intakeReports(
    { db: counted.db, clock, wake, stopPayments },
    { at: clock.now(), requestId: null, actor: taker },
    [{ id: randomUUID(), ...whole }],
    () => 'body.',
  );
  const reportIntake = counted.count();
  if (process.env.FANZHA_SHOW_STATEMENTS) console.log('intake', counted.kinds);

  const requestId = taken.reports[0]!.stopPaymentIds[0]!;
  counted.reset();
  await stopPayments.send({ at: clock.now(), requestId: null, actor: desk }, requestId, 'COUNT-1');
  const send = [...counted.kinds];
  const banks: TestBank[] = ['CCB', 'ABC', 'BOC', 'ZYCBANK', 'GZRCU'];
  const body: InstructionResult = {
    outcome: 'stopped',
    stoppedFen: 1_000_000,
    balanceFen: 1_000_000,
    onwardTransfers: Array.from({ length: onward }, (_, i) => ({
      account: { number: cardOf(banks[i % banks.length]!, seed + 1 + i) },
      amountFen: 100_000,
      transferredAt: clock.now().toISOString(),
    })),
  };
  counted.reset();
  await stopPayments.answer({ at: clock.now(), requestId: null, actor: bank }, requestId, body, randomUUID());
  if (process.env.FANZHA_SHOW_STATEMENTS) console.log('answer', counted.kinds);
  const bankAnswer = counted.count();
  const answer = [...counted.kinds];

  counted.reset();
  await stopPayments.send(
    { at: clock.now(), requestId: null, actor: desk },
    taken.reports[0]!.stopPaymentIds[1]!,
    'COUNT-2',
  );
  const laterSend = [...counted.kinds];
  const child = await db
    .selectFrom('stop_payment')
    .select('id')
    .where('parent_id', '=', requestId)
    .where('bank_code', '=', banks[0]!)
    .executeTakeFirst();
  let laterAnswer: string[] = [];
  if (child) {
    const childBank = await make('bank_liaison', banks[0]);
    counted.reset();
    await stopPayments.answer(
      { at: clock.now(), requestId: null, actor: childBank },
      child.id,
      { outcome: 'stopped', stoppedFen: 100_000, balanceFen: 100_000, onwardTransfers: [] },
      randomUUID(),
    );
    laterAnswer = [...counted.kinds];
  }
  return { reportIntake, bankAnswer, requestId, send, answer, laterSend, laterAnswer };
}
