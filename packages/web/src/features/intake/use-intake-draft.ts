import type { FieldProblem, ReportView } from '@fanzha/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../api';
import {
  answered,
  fromReport,
  isBlank,
  isResumable,
  newIntakeForm,
  readStoredIntake,
  restoreIntake,
  toDraftInput,
  writeStoredIntake,
  type IntakeForm,
} from './intake-form';

const AUTOSAVE_MS = 400;

/** `error`: the server could not be reached and the save is retried; `failed`: it was refused. */
export type SaveState = 'idle' | 'saving' | 'saved' | 'error' | 'failed';

const RETRY_MS = 5_000;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

const reportParams = (id: string) => ({ path: { id } });

async function loadDraft(id: string): Promise<ReportView | undefined> {
  try {
    return await api.GET('/api/reports/{id}', { params: reportParams(id) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Where the call-taker left off, if that was during a call: this browser's copy of a form changed in the
 * last half hour, else (another browser, cleared storage) their draft saved in the last half hour.
 * Anything older was abandoned, and a submitted report is done: the page opens a form for the next call.
 */
async function restore(): Promise<{ form: IntakeForm; version: number; view?: ReportView }> {
  const now = new Date();
  const local = readStoredIntake(storage());
  if (local) {
    if (!isResumable(local.changedAt, now)) return { form: newIntakeForm(), version: 0 };
    // A form left blank (new, after a submit or 新建) is this browser's choice: no server draft reopens.
    if (local.version === 0 && isBlank(local.form)) return { form: local.form, version: 0 };
    let server: ReportView | undefined;
    try {
      server = await loadDraft(local.form.reportId);
    } catch {
      return local; // the server cannot say: what was typed stays on screen
    }
    if (!server || server.status === 'draft') return { ...restoreIntake(local, server), view: server };
    return { form: newIntakeForm(), version: 0 }; // submitted: that call is done
  }
  const { reports } = await api.GET('/api/reports', {
    params: { query: { status: 'draft', mine: 'true', limit: 1 } },
  });
  const newest = reports[0];
  const view = newest && isResumable(newest.updatedAt, now) ? await loadDraft(newest.id) : undefined;
  if (view?.status === 'draft') return { form: fromReport(view), version: view.version, view };
  return { form: newIntakeForm(), version: 0 };
}

const keep = (form: IntakeForm, version: number) =>
  writeStoredIntake(storage(), { form, version, changedAt: new Date().toISOString() });

/**
 * The intake draft: the form as typed, saved whole (PUT with the version) 400 ms after the last change,
 * kept in localStorage meanwhile so a closed tab loses nothing, and restored after a reload.
 */
export function useIntakeDraft() {
  const [form, setFormState] = useState<IntakeForm | undefined>(undefined);
  const [view, setView] = useState<ReportView | undefined>(undefined);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  // The error itself, so the page words it in its language by its code.
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const formRef = useRef<IntakeForm | undefined>(undefined);
  const versionRef = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let isCancelled = false;
    void restore()
      .catch(() => ({ form: newIntakeForm(), version: 0, view: undefined }))
      .then((restored) => {
        if (isCancelled) return;
        formRef.current = restored.form;
        versionRef.current = restored.version;
        setFormState(restored.form);
        setView(restored.view);
        if (restored.view) setSaveState('saved');
      });
    return () => {
      isCancelled = true;
      clearTimeout(timer.current);
    };
  }, []);

  const flush = useCallback((): Promise<void> => {
    clearTimeout(timer.current);
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = async () => {
      let attempts = 0;
      do {
        again.current = false;
        const current = formRef.current;
        if (!current || isBlank(current)) return;
        setSaveState('saving');
        try {
          const saved = await api.PUT('/api/reports/{id}', {
            params: reportParams(current.reportId),
            body: toDraftInput(current, versionRef.current, new Date()),
          });
          // A new report may have started while this one was saving: its answer is no longer ours.
          if (formRef.current?.reportId !== saved.id) return;
          versionRef.current = saved.version;
          setView(saved);
          setSaveState('saved');
          setSaveError(undefined);
          keep(formRef.current, saved.version);
        } catch (error) {
          attempts += 1;
          if (error instanceof ApiError && error.code === 'conflict' && attempts < 3) {
            // Saved elsewhere meanwhile (another tab): this form is what the call-taker sees, so it wins.
            const latest = await loadDraft(current.reportId);
            versionRef.current = latest?.version ?? 0;
            again.current = true;
          } else {
            // Network trouble and server errors pass: try again. A refusal (a 401 ends the session, shown
            // by the session guard) will not pass by itself, so the page must not promise a retry.
            const isTransient = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
            setSaveState(isTransient ? 'error' : 'failed');
            setSaveError(error);
            if (isTransient) timer.current = setTimeout(() => void flush(), RETRY_MS);
            return;
          }
        }
      } while (again.current);
    };
    inFlight.current = run().finally(() => {
      inFlight.current = null;
    });
    return inFlight.current;
  }, []);

  const setForm = useCallback(
    (update: (form: IntakeForm) => IntakeForm) => {
      const current = formRef.current;
      if (!current) return;
      // Typing answers the call if the 接听 button was not pressed: the first change is the latest it can be.
      const next = answered(update(current), new Date());
      formRef.current = next;
      setFormState(next);
      keep(next, versionRef.current);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [flush],
  );

  /** Saves what is pending, then submits; refused submissions come back as the server's problems. */
  const submit = useCallback(async (): Promise<
    { ok: true; report: ReportView } | { ok: false; problems: FieldProblem[]; error: unknown }
  > => {
    await flush();
    const current = formRef.current;
    if (!current || versionRef.current === 0) return { ok: false, problems: [], error: undefined };
    try {
      const report = await api.POST('/api/reports/{id}/submit', {
        params: reportParams(current.reportId),
        body: { version: versionRef.current },
      });
      return { ok: true, report };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed' && Array.isArray(error.details))
        return { ok: false, problems: error.details as FieldProblem[], error };
      return { ok: false, problems: [], error };
    }
  }, [flush]);

  /** 接听: the call is answered now (a no-op once it was). Nothing is saved until something is typed. */
  const answerCall = useCallback(() => {
    const current = formRef.current;
    if (!current || current.callAnsweredAt) return;
    const next = answered(current, new Date());
    formRef.current = next;
    setFormState(next);
    keep(next, versionRef.current);
  }, []);

  /**
   * A fresh form waiting for the next call. It is kept as this browser's current form, so a reload
   * shows it rather than reopening the report just submitted or abandoned.
   */
  const startNew = useCallback(() => {
    clearTimeout(timer.current);
    const next = newIntakeForm();
    formRef.current = next;
    versionRef.current = 0;
    setFormState(next);
    setView(undefined);
    setSaveState('idle');
    keep(next, 0);
  }, []);

  /**
   * 接续: takes up a draft waiting in the intake queue (opened from a warning episode). What was on screen
   * is saved first and stays the call-taker's draft; the first save of the taken draft makes it theirs.
   */
  const openDraft = useCallback(
    async (id: string): Promise<boolean> => {
      await flush();
      const taken = await loadDraft(id);
      if (taken?.status !== 'draft') return false;
      clearTimeout(timer.current);
      const next = fromReport(taken);
      formRef.current = next;
      versionRef.current = taken.version;
      setFormState(next);
      setView(taken);
      setSaveState('saved');
      keep(next, taken.version);
      return true;
    },
    [flush],
  );

  return { form, view, saveState, saveError, setForm, flush, submit, startNew, answerCall, openDraft };
}
