import type { AuditEntryView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { auditQuery, auditRowKey, nextBeforeSeq, shortId } from './audit-query';

const entry = (seq: number | null): AuditEntryView => ({
  seq,
  at: '2025-01-01T00:00:00Z',
  userId: null,
  username: 'admin',
  role: 'admin',
  action: 'auth.sign_in',
  objectType: null,
  objectId: null,
  result: 'success',
  requestId: 'req-1',
  clientAddress: null,
  details: {},
  hash: null,
});

describe('auditQuery', () => {
  it('sends the limit, the cursor and only non-blank filters', () => {
    expect(auditQuery({ limit: 50 })).toEqual({ limit: 50 });
    expect(auditQuery({ limit: 50, beforeSeq: 101, action: ' user.create ', username: '' })).toEqual({
      limit: 50,
      beforeSeq: 101,
      action: 'user.create',
    });
    expect(auditQuery({ limit: 10, username: ' li si ' })).toEqual({ limit: 10, username: 'li si' });
  });
});

describe('nextBeforeSeq', () => {
  it('continues below the lowest sealed entry of a full page', () => {
    expect(nextBeforeSeq([entry(null), entry(12), entry(11), entry(10)], 4)).toBe(10);
  });

  it('ends on a short page or one without sealed entries', () => {
    expect(nextBeforeSeq([entry(12), entry(11)], 4)).toBeUndefined();
    expect(nextBeforeSeq([entry(null), entry(null)], 2)).toBeUndefined();
  });
});

describe('auditRowKey', () => {
  it('uses the sequence number, or a unique key for unsealed entries', () => {
    expect(auditRowKey(entry(7))).toBe('7');
    expect(auditRowKey(entry(null))).not.toBe(auditRowKey({ ...entry(null), action: 'user.create' }));
  });
});

describe('shortId', () => {
  it('shortens UUIDs only', () => {
    expect(shortId('55b20048-fe31-41b0-b591-0d06dcf785c0')).toBe('55b20048…');
    expect(shortId('ICBC')).toBe('ICBC');
  });
});
