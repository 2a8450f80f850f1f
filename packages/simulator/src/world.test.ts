import type { InstructionOf } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { createMuleNetwork } from './mules';
import { makeFraud } from './scenario';
import { newStats } from './stats';
import { createWorld, normalizedLog } from './world';

type Instruction = InstructionOf<'emergency_stop_payment'>;

function setup(seed = 31, isForPeople?: (bankCode: string) => boolean) {
  const stats = newStats();
  const world = createWorld({
    seed,
    pace: 0,
    isDeskRobot: true,
    slowOf: () => 1,
    isForPeople,
    stats,
    isKeepingLog: true,
  });
  const ctx = {
    seed,
    runTag: 't',
    mules: createMuleNetwork(seed),
    intake: 'typing' as const,
    today: new Date(),
  };
  return { world, stats, ctx };
}

const instruction = (over: Partial<Instruction>): Instruction => ({
  type: 'emergency_stop_payment',
  version: 2,
  instructionId: crypto.randomUUID(),
  bankCode: 'ICBC',
  account: { number: '0', name: null },
  amountFen: 0,
  transferredAt: null,
  legalDocNumber: 'X-1',
  layer: 1,
  parentInstructionId: null,
  reportNumber: 'JJ1',
  issuedAt: new Date().toISOString(),
  issuer: 'test',
  lapsesAfterHours: 48,
  stopSeq: 1,
  renewsInstructionId: null,
  ...over,
});

describe('the world of a run', () => {
  it("follows a case down its trail: layer 1 by report number, deeper layers by the parent's answer", () => {
    const { world, stats, ctx } = setup();
    // The first fraud whose layer-1 answer names onward transfers.
    const first = (i: number) => {
      const fraud = makeFraud(ctx, i, 3_600_000);
      const run = world.begin(fraud, Date.now());
      world.numbered(run, `JJ${i}`);
      const t = fraud.transfers[0]!;
      world.expect(run, t.parcel);
      const number = t.parcel.account.number;
      return {
        run,
        t,
        plan: world.resolve(instruction({ reportNumber: `JJ${i}`, account: { number, name: null } })),
      };
    };
    let i = 0;
    let found = first(i);
    while (found.plan!.answer.onward.length === 0) found = first(++i);
    const { run, t, plan: parent } = found;
    expect(parent?.parcel).toBe(t.parcel);
    expect(world.resolve(instruction({ reportNumber: 'JJ-none' }))).toBeUndefined();

    // The cascade's instruction may reach its bank before the parent's answer has come back.
    const named = parent!.answer.onward;
    const children = named.map((c) =>
      world.resolve(
        instruction({
          layer: 2,
          parentInstructionId: parent!.instructionId,
          account: { number: c.account.number, name: null },
          amountFen: c.amountFen,
        }),
      ),
    );
    expect(children.map((c) => c?.parcel)).toEqual(named);
    for (const c of children) world.answered(c!, 'ours');
    world.answered(parent!, 'ours');
    world.filed(run);
    // A late echo of the parent does not reopen children already answered.
    expect(world.openParcels().filter((p) => named.some((c) => c.id === p.parcel))).toEqual([]);
    expect(stats.stopped + stats.failed).toBe(1 + named.length);
    expect(world.log.filter((e) => e.type === 'answer')).toHaveLength(1 + named.length);
  });

  it('answers each parcel once however often its instruction is seen', () => {
    const { world, stats, ctx } = setup();
    const fraud = makeFraud(ctx, 0, 0);
    const run = world.begin(fraud, Date.now());
    world.numbered(run, 'JJ1');
    const item = instruction({ account: { number: fraud.transfers[0]!.parcel.account.number, name: null } });
    const plan = world.resolve(item)!;
    expect(world.resolve(item)).toBe(plan);
    world.answered(plan, 'ours');
    world.answered(plan, 'ours');
    expect(stats.stopped + stats.failed).toBe(1);
    expect(world.isAnswered(plan)).toBe(true);
  });

  it('leaves the banks left to people to them, and has what a person stopped frozen all the same', () => {
    const fraud = makeFraud(setup().ctx, 0, 0);
    const parcel = fraud.transfers[0]!.parcel;
    const { world, stats } = setup(31, (code) => code === parcel.account.bankCode);
    const stopped: Array<{ parcel: string; stoppedFen: number }> = [];
    world.observe({ filed: () => undefined, stopped: (p, s) => stopped.push({ parcel: p.parcel.id, ...s }) });
    const run = world.begin(fraud, Date.now());
    world.numbered(run, 'JJ1');
    world.filed(run);
    world.expect(run, parcel);
    const plan = world.resolve(instruction({ account: { number: parcel.account.number, name: null } }))!;
    // The run does not wait for people: their instruction is counted apart.
    expect(world.openCount()).toBe(0);
    expect(world.withPeopleCount()).toBe(1);
    world.answered(plan, 'people', { at: 5_000, stoppedFen: 700 });
    expect(world.withPeopleCount()).toBe(0);
    expect(stopped).toEqual([{ parcel: parcel.id, at: 5_000, stoppedFen: 700 }]);
    // A person's answer is not the simulation's: not counted, not logged as the plan's.
    expect(stats.stopped + stats.failed).toBe(0);
    expect(world.log.filter((e) => e.type === 'answer')).toEqual([]);
  });

  it('forgets finished cases but keeps the list of reports', () => {
    const { world, ctx } = setup();
    const run = world.begin(makeFraud(ctx, 0, 0), Date.now());
    world.numbered(run, 'JJ1');
    world.filed(run);
    world.prune(Date.now());
    expect(world.openCount()).toBe(0);
    expect(world.filedReports).toHaveLength(1);
    expect(world.resolve(instruction({ reportNumber: 'JJ1' }))).toBeUndefined();
  });

  it('orders the log by simulation time, whatever order things happened in', () => {
    const a = {
      type: 'report' as const,
      at: 5,
      fraud: 1,
      fraudType: 'OTHER',
      countyCode: '520102',
      lossFen: 1,
      transfers: 1,
      gang: 0,
    };
    const b = { ...a, at: 2, fraud: 0 };
    expect(normalizedLog([a, b])).toEqual([b, a]);
  });
});
