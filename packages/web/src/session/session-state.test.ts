import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '@fanzha/contracts';
import {
  canOpen,
  isSessionKey,
  readSignedOutReason,
  safeNext,
  signInPath,
  signedOutAfter,
  type SessionState,
} from './session-state';

const session: SessionInfo = {
  user: {
    id: 'u1',
    username: 'zhang',
    displayName: '张三',
    role: 'call_taker',
    bankCode: null,
    operatorCode: null,
    countyCode: null,
    consoles: ['intake', 'wall'],
    isDemo: false,
  },
  idleExpiresAt: '2025-01-01T00:30:00Z',
  expiresAt: '2025-01-01T08:00:00Z',
  idleMinutes: 30,
};

describe('signedOutAfter', () => {
  it('calls a lost session expired', () => {
    expect(signedOutAfter({ status: 'signed-in', session })).toEqual({
      status: 'signed-out',
      reason: 'expired',
    });
  });

  it('keeps a plain or explicit sign-out as it was', () => {
    expect(signedOutAfter(undefined)).toEqual({ status: 'signed-out', reason: 'none' });
    const signedOut: SessionState = { status: 'signed-out', reason: 'signed-out' };
    expect(signedOutAfter(signedOut)).toBe(signedOut);
  });
});

describe('safeNext', () => {
  it('keeps paths of this app with their query and hash', () => {
    expect(safeNext('/bank')).toBe('/bank');
    expect(safeNext('/audit?username=li#x')).toBe('/audit?username=li#x');
  });

  it('sends anything else home', () => {
    for (const value of [
      null,
      undefined,
      '',
      'bank',
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/sign-in',
      '/sign-in?next=/bank',
    ]) {
      expect(safeNext(value), String(value)).toBe('/');
    }
  });
});

describe('signInPath', () => {
  it('remembers where the user was and why they left', () => {
    expect(signInPath('/bank?x=1', 'expired')).toBe('/sign-in?next=%2Fbank%3Fx%3D1&reason=expired');
    expect(signInPath('/', 'signed-out')).toBe('/sign-in?reason=signed-out');
    expect(signInPath('/bank', 'signed-out')).toBe('/sign-in?reason=signed-out');
    expect(signInPath('/bank')).toBe('/sign-in?next=%2Fbank');
    expect(signInPath('/')).toBe('/sign-in');
  });
});

describe('readSignedOutReason', () => {
  it('accepts only known reasons', () => {
    expect(readSignedOutReason('expired')).toBe('expired');
    expect(readSignedOutReason('signed-out')).toBe('signed-out');
    expect(readSignedOutReason('hacked')).toBe('none');
    expect(readSignedOutReason(null)).toBe('none');
  });
});

describe('isSessionKey / canOpen', () => {
  it('recognise the session query and the consoles of a user', () => {
    expect(isSessionKey(['/api/auth/session'])).toBe(true);
    expect(isSessionKey(['/api/users'])).toBe(false);
    expect(canOpen(session.user, 'intake')).toBe(true);
    expect(canOpen(session.user, 'bank')).toBe(false);
  });
});
