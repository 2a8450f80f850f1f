import type { StreamMessage } from '@fanzha/contracts';

export interface SseConnection {
  headers: Headers;
  messages: Array<{ id: string; message: StreamMessage; at: number }>;
  /** Resolves when a message matching `predicate` has arrived (or rejects after `timeoutMs`). */
  waitFor(
    predicate: (m: StreamMessage) => boolean,
    timeoutMs?: number,
  ): Promise<{ id: string; message: StreamMessage; at: number }>;
  close(): void;
}

/** A minimal Server-Sent Events reader over fetch, as a test client of `/api/stream`. */
export async function openStream(url: string, cookie: string, lastEventId?: string): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: {
      cookie,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    signal: controller.signal,
  });
  if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
  const messages: SseConnection['messages'] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id && data) {
            messages.push({ id, message: JSON.parse(data) as StreamMessage, at: performance.now() });
            for (const w of waiters) w();
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    headers: res.headers,
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = messages.find((m) => predicate(m.message));
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching stream message within ${timeoutMs} ms (got ${messages.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
