/**
 * Which countermeasures of the run still wait on a simulated party, so that the run's end can wait for them:
 * the analyst robot enters what it requested (and the lifts it asked for) of parties robots answer, the
 * parties' robots strike out what they answered for good. Either may come first.
 */
export function createCountermeasureBook() {
  const awaited = new Set<string>();
  const settled = new Set<string>();
  return {
    /** `stage`: `answer` (executed or refused) or `lift` (lifted). */
    expect(id: string, stage: 'answer' | 'lift'): void {
      const key = `${id}:${stage}`;
      if (!settled.delete(key)) awaited.add(key);
    },
    settle(id: string, stage: 'answer' | 'lift'): void {
      const key = `${id}:${stage}`;
      if (!awaited.delete(key)) settled.add(key);
    },
    open: () => awaited.size,
  };
}
export type CountermeasureBook = ReturnType<typeof createCountermeasureBook>;
