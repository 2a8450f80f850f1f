/**
 * Listens to fanzha's Server-Sent Events only to know *when* to look: each message wakes the caller,
 * who then reads the pull queue (the source of truth). A dropped stream is reopened after a pause, and
 * nothing is lost meanwhile since the caller also polls.
 */
export function wakeOnStream(opts: {
  url: string;
  headers: Record<string, string>;
  onMessage: (data: string) => void;
  signal: AbortSignal;
}): void {
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      opts.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  void (async () => {
    while (!opts.signal.aborted) {
      try {
        const res = await fetch(opts.url, {
          headers: { ...opts.headers, accept: 'text/event-stream' },
          signal: opts.signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = event
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (data) opts.onMessage(data);
          }
        }
      } catch {
        // Closed, refused or aborted: try again below unless stopping.
      }
      await pause(2_000);
    }
  })();
}
