import type { ReportView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import {
  INTAKE_STORAGE_KEY,
  RESUME_WINDOW_MS,
  answered,
  fromReport,
  isResumable,
  isBlank,
  newIntakeForm,
  problemsByField,
  readStoredIntake,
  restoreIntake,
  toDraftInput,
  writeStoredIntake,
  type IntakeForm,
} from './intake-form';

const now = new Date('2025-05-01T02:00:00Z'); // 10:00 in Guizhou

function filled(): IntakeForm {
  const form = answered(newIntakeForm('7b1f6c1e-6a55-4c4c-9f43-5b8a8b6f0a11'), now);
  form.transfers = [
    {
      key: 't1',
      time: '09:32',
      amount: '50,000',
      victimAccount: '6222 0212',
      account: '6222 0200 1234',
      name: ' 王某 ',
    },
    { key: 't2', time: 'soon', amount: 'x', victimAccount: '', account: '', name: '' },
    { key: 't3', time: '', amount: '', victimAccount: '', account: '', name: '' },
  ];
  form.contacts = [
    { key: 'c1', kind: 'phone', value: ' 17012345678 ' },
    { key: 'c2', kind: 'url', value: '' },
  ];
  form.narrative = '对方自称客服，让我刷单返利';
  form.victim = {
    name: '李某',
    idNumber: '52010219900101123x',
    phone: '13912345678',
    countyCode: '520102',
    address: '',
  };
  return form;
}

describe('toDraftInput', () => {
  it('sends what parses, in fen and ISO time, and leaves out what does not', () => {
    const draft = toDraftInput(filled(), 3, now);
    expect(draft.version).toBe(3);
    expect(draft.transfers).toEqual([
      {
        key: 't1',
        transferredAt: '2025-05-01T01:32:00.000Z',
        amountFen: 5_000_000,
        victimAccount: '62220212',
        toAccount: { number: '622202001234', name: '王某' },
      },
      {
        key: 't2',
        transferredAt: undefined,
        amountFen: undefined,
        victimAccount: undefined,
        toAccount: { number: undefined, name: undefined },
      },
    ]);
    expect(draft.contacts).toEqual([{ key: 'c1', kind: 'phone', value: '17012345678' }]);
    expect(draft.victim).toMatchObject({
      idNumber: '52010219900101123X',
      countyCode: '520102',
      address: undefined,
    });
    expect(draft.fraudType).toBeUndefined();
  });

  it('knows an untouched form', () => {
    expect(isBlank(newIntakeForm())).toBe(true);
    expect(isBlank(filled())).toBe(false);
  });
});

const view = (over: Partial<ReportView> = {}): ReportView => ({
  id: '7b1f6c1e-6a55-4c4c-9f43-5b8a8b6f0a11',
  number: 'JJ20250501-000001',
  version: 4,
  status: 'draft',
  fromEpisodeId: null,
  isMasked: false,
  victim: {
    name: '李某',
    idNumber: null,
    phone: '13912345678',
    countyCode: '520102',
    countyName: '南明区',
    address: null,
  },
  transfers: [
    {
      key: 't1',
      transferredAt: '2025-05-01T01:32:00.000Z',
      amountFen: 5_000_050,
      victimAccount: null,
      toAccount: { number: '6222020012345678901', name: '王某', bankCode: 'ICBC', bankName: '工商银行' },
      stopPaymentId: null,
    },
  ],
  contacts: [],
  narrative: '刷单',
  fraudType: 'TASK_REBATE',
  suggestedFraudType: null,
  totalLossFen: 5_000_050,
  times: {
    callAnsweredAt: '2025-05-01T01:58:00.000Z',
    firstAccountPushedAt: null,
    firstInstructionSentAt: null,
    firstStopResultAt: null,
    submittedAt: null,
  },
  problems: [],
  createdBy: 'u1',
  owningCountyCode: null,
  money: { stoppedFen: 0, frozenFen: 0, returnedFen: 0 },
  ...over,
});

describe('the call answered', () => {
  it('is unknown on a new form and set once, at the first moment', () => {
    const form = newIntakeForm();
    expect(form.callAnsweredAt).toBeNull();
    const first = answered(form, now);
    expect(first.callAnsweredAt).toBe(now.toISOString());
    expect(answered(first, new Date(now.getTime() + 60_000))).toBe(first);
  });
});

describe('fromReport', () => {
  it('maps a saved draft back to what one types, and round-trips', () => {
    const form = fromReport(view());
    expect(form.transfers[0]).toEqual({
      key: 't1',
      time: '2025-05-01 09:32',
      amount: '50000.50',
      victimAccount: '',
      account: '6222020012345678901',
      name: '王某',
    });
    expect(form.contacts).toHaveLength(1); // an empty row to type into
    expect(form.victim.idNumber).toBe('');
    const again = toDraftInput(form, 4, now);
    expect(again.transfers[0]).toMatchObject({
      transferredAt: '2025-05-01T01:32:00.000Z',
      amountFen: 5_000_050,
    });
    expect(again.callAnsweredAt).toBe('2025-05-01T01:58:00.000Z');
  });
});

describe('problemsByField', () => {
  it('puts server problems on the row they belong to', () => {
    const draft = toDraftInput(filled(), 1, now);
    const map = problemsByField(
      [
        { field: 'body.transfers.1.toAccount.number', reason: 'required', message: 'm' },
        { field: 'body.victim.phone', reason: 'mobile.length', message: 'm' },
        { field: 'body.transfers.9.amountFen', reason: 'required', message: 'm' },
      ],
      draft,
    );
    expect([...map.keys()]).toEqual([
      'transfers.t2.toAccount.number',
      'victim.phone',
      'transfers.9.amountFen',
    ]);
  });
});

describe('local copy', () => {
  it('stores and reads back, and ignores junk', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(readStoredIntake(storage)).toBeUndefined();
    writeStoredIntake(storage, { form: filled(), version: 2 });
    expect(readStoredIntake(storage)?.form.transfers[1]?.time).toBe('soon');
    store.set(INTAKE_STORAGE_KEY, '{"form":1}');
    expect(readStoredIntake(storage)).toBeUndefined();
    // A copy without the victim (an older shape) would break the page: it is not taken up.
    store.set(
      INTAKE_STORAGE_KEY,
      JSON.stringify({ form: { reportId: 'x', transfers: [], contacts: [] }, version: 0 }),
    );
    expect(readStoredIntake(storage)).toBeUndefined();
  });

  it('resumes a draft changed within the window only', () => {
    const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
    expect(isResumable(at(60_000), now)).toBe(true);
    expect(isResumable(at(RESUME_WINDOW_MS + 1), now)).toBe(false);
    expect(isResumable(undefined, now)).toBe(false);
  });

  it('keeps what was typed and takes the server version; a newer server copy wins', () => {
    const local = { form: filled(), version: 3 };
    expect(restoreIntake(local, view({ version: 4 }))).toEqual({ form: local.form, version: 4 });
    expect(restoreIntake(local, view({ version: 9 })).form.transfers[0]?.amount).toBe('50000.50');
    expect(restoreIntake(local, undefined)).toBe(local);
  });
});
