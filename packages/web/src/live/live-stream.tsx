import type { StreamMessage } from '@fanzha/contracts';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting';
export interface LiveEvent {
  message: StreamMessage;
}
/** Called for each message, and with `null` when the stream (re)opens: lists may have missed events. */
type Listener = (message: StreamMessage | null) => void;

interface LiveValue {
  status: LiveStatus;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<LiveValue | null>(null);

export function parseStreamMessage(data: string): StreamMessage | undefined {
  try {
    const value = JSON.parse(data) as Partial<StreamMessage> | null;
    if (value?.type === 'stop-payment' && typeof value.request === 'object') return value as StreamMessage;
    if (value?.type === 'report' && typeof value.report === 'object') return value as StreamMessage;
    if (value?.type === 'county-task' && typeof value.task === 'object') return value as StreamMessage;
    if (value?.type === 'alert' && typeof value.alert === 'object') return value as StreamMessage;
    if (value?.type === 'bank-instruction' && typeof value.item === 'object') return value as StreamMessage;
    if (value?.type === 'wall' && Array.isArray(value.ticker)) return value as StreamMessage;
    if (value?.type === 'episode' && typeof value.episode === 'object') return value as StreamMessage;
    if (value?.type === 'carrier-request' && typeof value.carrierRequest === 'object')
      return value as StreamMessage;
    if (value?.type === 'cluster' && typeof value.cluster === 'object') return value as StreamMessage;
    if (value?.type === 'countermeasure' && typeof value.item === 'object') return value as StreamMessage;
    if (value?.type === 'two-card-instruction' && typeof value.item === 'object')
      return value as StreamMessage;
  } catch {
    // A line we cannot read is skipped; the next list load brings the state anyway.
  }
  return undefined;
}

/**
 * One Server-Sent Events connection per tab, shared by the consoles. The browser's EventSource sends
 * the session cookie and, after a drop, `Last-Event-ID`, so the server replays what was missed.
 */
export function LiveStreamProvider({
  children,
  isEnabled,
  onRefused,
}: {
  children: ReactNode;
  isEnabled: boolean;
  /** The server refused the stream outright (no retry by the browser): often a session that ended. */
  onRefused?: () => void;
}) {
  const refused = useRef(onRefused);
  useEffect(() => {
    refused.current = onRefused;
  });
  const listeners = useRef(new Set<Listener>());
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [value] = useState<Omit<LiveValue, 'status'>>(() => ({
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));

  useEffect(() => {
    if (!isEnabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let isStopped = false;
    const emit = (message: StreamMessage | null) => {
      for (const listener of listeners.current) listener(message);
    };
    const connect = () => {
      source = new EventSource('/api/stream');
      source.onopen = () => {
        setStatus('open');
        emit(null);
      };
      source.onmessage = (event: MessageEvent<string>) => {
        const message = parseStreamMessage(event.data);
        if (message) emit(message);
      };
      source.onerror = () => {
        setStatus('reconnecting');
        // EventSource retries by itself unless the server refused outright (e.g. a 401): then start over.
        if (source?.readyState === EventSource.CLOSED && !isStopped) {
          refused.current?.();
          retry = setTimeout(connect, 5_000);
        }
      };
    };
    connect();
    return () => {
      isStopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [isEnabled]);

  return <LiveContext.Provider value={{ ...value, status }}>{children}</LiveContext.Provider>;
}

/** The stream's state, and — when `listener` is given — every message while the component is mounted. */
export function useLiveStream(listener?: Listener): { status: LiveStatus } {
  const live = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  const hasListener = listener !== undefined;
  useEffect(() => {
    if (!live || !hasListener) return;
    return live.subscribe((message) => latest.current?.(message));
  }, [live, hasListener]);
  return { status: live?.status ?? 'connecting' };
}
