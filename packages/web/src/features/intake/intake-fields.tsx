import { CheckCircleFilled } from '@ant-design/icons';
import type { FieldProblem } from '@fanzha/contracts';
import { Card, Flex } from 'antd';
import type { ReactNode } from 'react';
import type { Locale } from '../../i18n';
import { TEXT_COLOURS } from '../../ui';
import { reasonText, type Check } from './field-checks';

export const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;
export const NO_PROBLEMS: Map<string, FieldProblem> = new Map();

export function Note({ check }: { check: Check }) {
  if (!check) return <div className="intake-note" />;
  const color =
    check.kind === 'error' ? TEXT_COLOURS.danger : check.kind === 'ok' ? TEXT_COLOURS.ok : TEXT_COLOURS.muted;
  return (
    <div className="intake-note" style={{ color }}>
      {check.kind === 'ok' && <CheckCircleFilled style={{ marginInlineEnd: 4 }} />}
      {check.text}
    </div>
  );
}

/** A client check while typing, or the server's problem once a submit was refused. */
export function noteFor(check: Check, problem: FieldProblem | undefined, locale: Locale): Check {
  if (check && check.kind !== 'hint') return check;
  if (problem) return { kind: 'error', text: reasonText(locale, problem.reason, problem.message) };
  return check;
}

export const statusOf = (check: Check) => (check?.kind === 'error' ? 'error' : undefined);

export function Section({
  title,
  extra,
  children,
}: {
  title: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card size="small" title={title} extra={extra} styles={{ body: { padding: '10px 12px 4px' } }}>
      {children}
    </Card>
  );
}

export function Labelled({
  label,
  children,
  note,
  extra,
}: {
  label: string;
  children: ReactNode;
  note?: Check;
  extra?: ReactNode;
}) {
  return (
    <label style={{ display: 'block' }}>
      <div className="intake-label">{label}</div>
      {children}
      <Flex justify="space-between" gap={8}>
        <Note check={note} />
        {extra}
      </Flex>
    </label>
  );
}
