import { Flex, Typography } from 'antd';
import { memo, useEffect, type KeyboardEvent, type RefObject } from 'react';
import { useT, type MessageKey } from '../../i18n';

/** Moves to the next field on Enter (Tab works anyway); textareas and open selects keep their Enter. */
export function onEnterNext(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
  const target = event.target as HTMLElement;
  if (target.tagName !== 'INPUT' || target.closest('.ant-select')) return;
  const fields = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>('input:not([disabled]):not([type=hidden]), textarea'),
  ).filter((el) => el.tabIndex >= 0);
  const next = fields[fields.indexOf(target) + 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export const Shortcuts = memo(function Shortcuts() {
  const t = useT();
  const keys: [string, MessageKey][] = [
    ['Enter / Tab', 'intake.key.next'],
    ['Alt+N', 'intake.key.addTransfer'],
    ['Alt+C', 'intake.key.addContact'],
    ['Ctrl+Enter', 'intake.key.submit'],
  ];
  return (
    <Flex vertical gap={4} style={{ fontSize: 12 }}>
      {keys.map(([key, label]) => (
        <Flex key={key} justify="space-between">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(label)}
          </Typography.Text>
          <Typography.Text keyboard style={{ fontSize: 11 }}>
            {key}
          </Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
});

/**
 * Shortcuts anywhere on the page: the call-taker's hands stay on the keyboard. Caught before the
 * fields see them (capture), so Ctrl+Enter in an open select submits rather than picks an option.
 */
export function useIntakeKeys({
  rootRef,
  submit,
  addTransfer,
  addContact,
}: {
  rootRef: RefObject<HTMLDivElement | null>;
  submit: () => Promise<void>;
  addTransfer: () => void;
  addContact: () => void;
}) {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        event.stopPropagation();
        void submit();
      } else if (event.altKey && event.code === 'KeyN') {
        event.preventDefault();
        addTransfer();
      } else if (event.altKey && event.code === 'KeyC') {
        event.preventDefault();
        addContact();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [submit, addTransfer, addContact]);

  // A select's clear (×) is a button of its own: Tab would stop on it and the next keys would land in
  // the select again. It stays for the mouse; the keyboard goes from the select to the next field.
  useEffect(() => {
    rootRef.current?.querySelectorAll<HTMLElement>('.ant-select-clear').forEach((button) => {
      button.tabIndex = -1;
    });
  });
}
