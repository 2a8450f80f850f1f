import type { ReactNode } from 'react';
import { useT, type MessageKey } from '../i18n';
import type { FormErrors } from './freeze-forms';

const ERROR_KEYS: Record<NonNullable<ReturnType<FormErrors['get']>>, MessageKey> = {
  required: 'form.error.required',
  short: 'form.error.short',
  amount: 'form.error.amount',
  tooMuch: 'form.error.tooMuch',
  date: 'form.error.date',
  tooLong: 'form.error.tooLong',
};

/** A labelled field with its problem underneath, the space kept so the form does not jump. */
export function Field({
  label,
  errors,
  name,
  hint,
  children,
}: {
  label: string;
  errors?: FormErrors;
  name?: string;
  hint?: string;
  children: ReactNode;
}) {
  const t = useT();
  const code = name ? errors?.get(name) : undefined;
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)', marginBottom: 2 }}>{label}</div>
      {children}
      <div
        style={{ minHeight: 18, fontSize: 12, color: code ? '#cf1322' : 'rgba(0,0,0,0.45)' }}
        data-testid={name && code ? `error-${name}` : undefined}
      >
        {code ? t(ERROR_KEYS[code]) : hint}
      </div>
    </label>
  );
}
