import type { FieldProblem, ReportDraftInput, ReportView } from '@fanzha/contracts';
import type { FraudTypeCode } from '@fanzha/domain';
// Not through the `ui` barrel: a pure module, and its test, need not load Ant Design.
import { fenToYuanInput, parseYuanToFen } from '../../ui/money';
import { formatCentreTime, parseCentreTime } from '../../ui/time';

export type ContactKind = ReportDraftInput['contacts'][number]['kind'];

/** One transfer row as typed: raw text, so nothing the victim said is lost to a parse. */
export interface TransferRow {
  key: string;
  time: string;
  amount: string;
  victimAccount: string;
  account: string;
  name: string;
}

export interface ContactRow {
  key: string;
  kind: ContactKind;
  value: string;
}

export interface IntakeForm {
  reportId: string;
  /**
   * When the call-taker answered the call: the 接听 button, or the first keystroke into the form if they
   * start typing without it. Null while the form waits for a call; the three-minute clock starts here.
   */
  callAnsweredAt: string | null;
  transfers: TransferRow[];
  contacts: ContactRow[];
  narrative: string;
  fraudType: FraudTypeCode | null;
  victim: { name: string; idNumber: string; phone: string; countyCode: string | null; address: string };
}

export const newRowKey = () => crypto.randomUUID().slice(0, 8);

export const emptyTransfer = (): TransferRow => ({
  key: newRowKey(),
  time: '',
  amount: '',
  victimAccount: '',
  account: '',
  name: '',
});

export const emptyContact = (kind: ContactKind = 'phone'): ContactRow => ({
  key: newRowKey(),
  kind,
  value: '',
});

/** A form waiting for the next call: its clock starts when the call is answered, not when it is created. */
export function newIntakeForm(reportId: string = crypto.randomUUID()): IntakeForm {
  return {
    reportId,
    callAnsweredAt: null,
    transfers: [emptyTransfer()],
    contacts: [emptyContact()],
    narrative: '',
    fraudType: null,
    victim: { name: '', idNumber: '', phone: '', countyCode: null, address: '' },
  };
}

/** The form with the call answered at `at`, unless it already was (the first moment counts). */
export function answered(form: IntakeForm, at: Date): IntakeForm {
  return form.callAnsweredAt ? form : { ...form, callAnsweredAt: at.toISOString() };
}

/** Whether anything was typed: an untouched form is not saved (no empty drafts for every page open). */
export function isBlank(form: IntakeForm): boolean {
  const v = form.victim;
  return (
    form.transfers.every((t) => !t.time && !t.amount && !t.victimAccount && !t.account && !t.name) &&
    form.contacts.every((c) => !c.value.trim()) &&
    !form.narrative.trim() &&
    !form.fraudType &&
    !v.name &&
    !v.idNumber &&
    !v.phone &&
    !v.countyCode &&
    !v.address
  );
}

const text = (value: string) => {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
const digits = (value: string) => text(value.replace(/[\s-]/g, ''));

/** The whole form as the autosave sends it; fields that do not parse yet are left out (the server lists them). */
export function toDraftInput(form: IntakeForm, version: number, now: Date): ReportDraftInput {
  return {
    version,
    // Typing answers the call (see `answered`), so a form with content always has its moment.
    callAnsweredAt: form.callAnsweredAt ?? now.toISOString(),
    victim: {
      name: text(form.victim.name),
      idNumber: text(form.victim.idNumber)?.toUpperCase(),
      phone: text(form.victim.phone),
      countyCode: form.victim.countyCode ?? undefined,
      address: text(form.victim.address),
    },
    transfers: form.transfers
      .filter((t) => t.time || t.amount || t.victimAccount || t.account || t.name)
      .map((t) => ({
        key: t.key,
        transferredAt: parseCentreTime(t.time, now),
        amountFen: parseYuanToFen(t.amount),
        victimAccount: digits(t.victimAccount),
        toAccount: { number: digits(t.account), name: text(t.name) },
      })),
    contacts: form.contacts
      .filter((c) => c.value.trim())
      .map((c) => ({ key: c.key, kind: c.kind, value: c.value.trim() })),
    narrative: form.narrative,
    fraudType: form.fraudType ?? undefined,
  };
}

/** A saved report back into the form (after a reload, when the local copy is gone). */
export function fromReport(view: ReportView): IntakeForm {
  const transfers = view.transfers.map((t) => ({
    key: t.key,
    time: t.transferredAt ? formatCentreTime(t.transferredAt) : '',
    amount: fenToYuanInput(t.amountFen),
    victimAccount: t.victimAccount ?? '',
    account: t.toAccount.number ?? '',
    name: t.toAccount.name ?? '',
  }));
  const contacts = view.contacts.map((c) => ({ key: c.key, kind: c.kind, value: c.value }));
  return {
    reportId: view.id,
    callAnsweredAt: view.times.callAnsweredAt,
    transfers: transfers.length > 0 ? transfers : [emptyTransfer()],
    contacts: contacts.length > 0 ? contacts : [emptyContact()],
    narrative: view.narrative,
    fraudType: view.fraudType,
    victim: {
      name: view.victim.name ?? '',
      idNumber: view.victim.idNumber ?? '',
      phone: view.victim.phone ?? '',
      countyCode: view.victim.countyCode,
      address: view.victim.address ?? '',
    },
  };
}

/**
 * The server names fields as in the request (`body.transfers.0.toAccount.number`); the form names them
 * by row key so a problem stays on its row after rows are added or removed.
 */
export function problemsByField(
  problems: readonly FieldProblem[],
  draft: Pick<ReportDraftInput, 'transfers' | 'contacts'>,
): Map<string, FieldProblem> {
  const out = new Map<string, FieldProblem>();
  for (const problem of problems) {
    const path = problem.field.replace(/^body\./, '');
    const row = /^(transfers|contacts)\.(\d+)\.(.+)$/.exec(path);
    let field = path;
    if (row) {
      const list = row[1] === 'transfers' ? draft.transfers : draft.contacts;
      const key = list[Number(row[2])]?.key;
      if (key) field = `${row[1]}.${key}.${row[3]}`;
    }
    if (!out.has(field)) out.set(field, problem);
  }
  return out;
}

/** What survives a closed tab: the form as typed and the version it was last saved at. */
export interface StoredIntake {
  form: IntakeForm;
  version: number;
  /** When the form last changed: an old copy is a call long over, not one to resume. */
  changedAt?: string;
}

/**
 * How long after its last change a draft is taken up again after a reload. A reload during a call
 * resumes it; a draft left for longer was abandoned (the call ended) and the page opens a fresh form.
 */
export const RESUME_WINDOW_MS = 30 * 60_000;

export function isResumable(changedAt: string | undefined, now: Date): boolean {
  const at = changedAt ? Date.parse(changedAt) : NaN;
  return Number.isFinite(at) && now.getTime() - at <= RESUME_WINDOW_MS;
}

export const INTAKE_STORAGE_KEY = 'fanzha.intake.current';

export function readStoredIntake(storage: Pick<Storage, 'getItem'> | undefined): StoredIntake | undefined {
  try {
    const raw = storage?.getItem(INTAKE_STORAGE_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<StoredIntake> | null;
    const form = value?.form;
    if (
      !form ||
      typeof form.reportId !== 'string' ||
      !Array.isArray(form.transfers) ||
      !Array.isArray(form.contacts) ||
      typeof form.victim !== 'object' ||
      form.victim === null ||
      typeof value.version !== 'number'
    )
      return undefined;
    const changedAt = typeof value.changedAt === 'string' ? value.changedAt : undefined;
    return {
      form: { ...form, callAnsweredAt: form.callAnsweredAt ?? null },
      version: value.version,
      changedAt,
    };
  } catch {
    return undefined;
  }
}

export function writeStoredIntake(storage: Pick<Storage, 'setItem'> | undefined, value: StoredIntake): void {
  try {
    storage?.setItem(INTAKE_STORAGE_KEY, JSON.stringify(value));
  } catch {
    // Full or disabled storage: the server copy (autosave) still holds the draft.
  }
}

/**
 * After a reload: the local copy holds everything typed (also what did not parse yet), the server the
 * version to save against. A server copy of another report, or none, leaves the local copy as it is.
 */
export function restoreIntake(local: StoredIntake, server: ReportView | undefined): StoredIntake {
  if (!server || server.id !== local.form.reportId) return local;
  if (server.status !== 'draft') return local;
  // Saved elsewhere (another tab) after the local copy: the server's is newer.
  if (server.version > local.version + 1)
    return { form: fromReport(server), version: server.version, changedAt: local.changedAt };
  return { form: local.form, version: server.version, changedAt: local.changedAt };
}
