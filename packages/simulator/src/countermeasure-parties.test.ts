import type { CountermeasureView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { isSignedLift, isSignedRequest } from './countermeasure-parties';
import { centreVerifier, newAnswerKey } from './signing';

/** A countermeasure as a party reads it, signed by a stand-in centre key, with its lift asked. */
function liftAsked() {
  const centre = newAnswerKey();
  const id = '6f1c2a4e-0b1d-4c7e-9a53-2f8e1d0c7b61';
  const instruction = {
    id,
    kind: 'block_phone' as const,
    partyKind: 'operator' as const,
    partyCode: 'china_unicom',
    value: '+8617100001111',
    reason: '涉诈号码',
    requestedAt: '2026-05-01T08:00:00.000Z',
    dueAt: '2026-05-01T10:00:00.000Z',
  };
  const liftInstruction = {
    id: 'a3d9e1f0-5c2b-4e8a-8f61-7b0c9d2e4a15',
    action: 'lift' as const,
    countermeasureId: id,
    kind: 'block_phone' as const,
    partyKind: 'operator' as const,
    partyCode: 'china_unicom',
    value: '+8617100001111',
    reason: '申诉成立',
    requestedAt: '2026-05-03T08:00:00.000Z',
    dueAt: '2026-05-03T10:00:00.000Z',
  };
  const item = {
    id,
    kind: 'block_phone',
    partyCode: 'china_unicom',
    value: '+8617100001111',
    status: 'lift_requested',
    instruction,
    signature: centre.sign(instruction),
    keyId: 'k',
    algorithm: 'ed25519',
    lift: {
      instruction: liftInstruction,
      signature: centre.sign(liftInstruction),
      keyId: 'k',
      algorithm: 'ed25519',
    },
  } as unknown as CountermeasureView;
  return { item, verify: centreVerifier(centre.publicKeyPem) };
}

describe("the parties' systems verify the centre's signatures before they act", () => {
  it('confirm a lift only when its own lift instruction verifies', () => {
    const { item, verify } = liftAsked();
    expect(isSignedRequest(item, verify)).toBe(true);
    expect(isSignedLift(item, 'china_unicom', verify)).toBe(true);
    // Another party's, or none at all.
    expect(isSignedLift(item, 'china_mobile', verify)).toBe(false);
    expect(isSignedLift({ ...item, lift: null }, 'china_unicom', verify)).toBe(false);
    const lift = item.lift!;
    // Tampered: the target, or a lift moved onto another countermeasure.
    const tampered = (instruction: object) =>
      ({ ...item, lift: { ...lift, instruction } }) as unknown as CountermeasureView;
    expect(
      isSignedLift(tampered({ ...lift.instruction, value: '+8617100002222' }), 'china_unicom', verify),
    ).toBe(false);
    expect(isSignedLift({ ...item, id: 'other', value: item.value }, 'china_unicom', verify)).toBe(false);
    // The request's signature is no lift's.
    expect(
      isSignedLift({ ...item, lift: { ...lift, signature: item.signature } }, 'china_unicom', verify),
    ).toBe(false);
    // Signed by another key than the centre's.
    const forged = newAnswerKey().sign(lift.instruction);
    expect(isSignedLift({ ...item, lift: { ...lift, signature: forged } }, 'china_unicom', verify)).toBe(
      false,
    );
  });
});
