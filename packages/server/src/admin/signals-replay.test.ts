import { describe, expect, it } from 'vitest';
import { replaySignalLines, type ReplayProgress } from './signals-replay';

async function* linesOf(...lines: string[]) {
  for (const l of lines) yield l;
}

describe('replaySignalLines', () => {
  it('publishes each batch on its kind, skips lines it cannot route, and reports progress', async () => {
    const published: Array<[string, unknown]> = [];
    const progress: ReplayProgress[] = [];
    const batch = (kind: string, n: number) =>
      JSON.stringify({
        kind,
        sentAt: '2026-05-01T08:00:00Z',
        signals: Array.from({ length: n }, (_, i) => ({ id: `${kind}${i}` })),
      });
    const result = await replaySignalLines({
      lines: linesOf(
        batch('call', 3),
        '',
        'not json',
        batch('bank', 2),
        JSON.stringify({ kind: 'fax' }),
        batch('upstream', 1),
      ),
      publisher: {
        publish: async (kind, b) => void published.push([kind, b]),
        close: async () => undefined,
      },
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(published.map(([k]) => k)).toEqual(['call', 'bank', 'upstream']);
    expect(result).toMatchObject({ lines: 6, published: 3, signals: 6, skipped: 2 });
    expect(result.skippedLines).toEqual([
      { line: 3, reason: 'not JSON' },
      { line: 5, reason: expect.stringMatching(/^no known kind/) as unknown },
    ]);
    expect(progress.at(-1)).toMatchObject({ published: 3, signals: 6 });
  });

  it('fails when the stream does not take a batch (nothing is reported as published)', async () => {
    await expect(
      replaySignalLines({
        lines: linesOf(JSON.stringify({ kind: 'call', signals: [] })),
        publisher: {
          publish: async () => {
            throw new Error('no stream');
          },
          close: async () => undefined,
        },
      }),
    ).rejects.toThrow('no stream');
  });
});
