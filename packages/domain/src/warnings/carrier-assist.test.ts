import { describe, expect, it } from 'vitest';
import { carrierFor } from './carrier-assist';

describe('carrierFor', () => {
  it('prefers the operator whose signal warned, newest first, over the segment', () => {
    expect(carrierFor('+8613800138000', ['operator:china_unicom', 'operator:china_telecom'])).toBe(
      'china_unicom',
    );
    expect(carrierFor('+8613800138000', ['bank:ICBC', 'upstream:gd', 'operator:china_telecom'])).toBe(
      'china_telecom',
    );
  });

  it('falls back to the segment’s operator, and to none when there is no mainland operator', () => {
    expect(carrierFor('+8613800138000', ['bank:ICBC'])).toBe('china_mobile');
    expect(carrierFor('+8618912345678', [])).toBe('china_telecom');
    expect(carrierFor('+8613012345678', [])).toBe('china_unicom');
    expect(carrierFor('+85291234567', [])).toBeNull();
    expect(carrierFor(null, ['bank:ICBC'])).toBeNull();
    expect(carrierFor(null, ['operator:nobody'])).toBeNull();
  });
});
