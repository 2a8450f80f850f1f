/** Time comes in through a clock so that domain rules and tests never read the wall clock directly. */
export interface Clock {
  now(): Date;
}

/** A clock that stands still until moved: for tests of deadlines and lapses. */
export class TestClock implements Clock {
  #now: Date;
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(at: Date | string): void {
    this.#now = new Date(at);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}
