import { hash64Into } from '../indicators/hash64';

// Each slot is three 32-bit words: the key's 64-bit hash (high, low) and the account's id + 1
// (0 marks an empty slot). Linear probing; the table doubles before it is 70 % full.
const STRIDE = 3;
const MAX_LOAD = 0.7;

/**
 * Interns account keys as dense ids 0, 1, 2, … in one open-addressing typed array over `hash64Into`,
 * with the keys themselves in a plain array (id → key). A V8 `Map` of strings would stop at 16.7 M
 * entries and cost several times the memory. Two keys with the same 64-bit hash are both kept: a
 * probe compares the stored key before it answers.
 */
export class AccountTable {
  private slots: Uint32Array;
  private mask: number;
  private readonly scratch = new Uint32Array(2);
  /** The key of each id. */
  readonly keys: string[] = [];

  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.slots = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.keys.length;
  }

  /** Memory held by the slots (the key strings are not counted). */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** The id of `key`, or -1. */
  find(key: string): number {
    hash64Into(key, this.scratch);
    const hi = this.scratch[0]!;
    const lo = (this.scratch[1]! | 1) >>> 0;
    const slots = this.slots;
    let i = (hi ^ lo) & this.mask;
    for (;;) {
      const at = i * STRIDE;
      const id = slots[at + 2]!;
      if (id === 0) return -1;
      if (slots[at] === hi && slots[at + 1] === lo && this.keys[id - 1] === key) return id - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** The id of `key`, given the next free id when it is new. */
  intern(key: string): number {
    hash64Into(key, this.scratch);
    const hi = this.scratch[0]!;
    const lo = (this.scratch[1]! | 1) >>> 0;
    const slots = this.slots;
    let i = (hi ^ lo) & this.mask;
    for (;;) {
      const at = i * STRIDE;
      const id = slots[at + 2]!;
      if (id === 0) break;
      if (slots[at] === hi && slots[at + 1] === lo && this.keys[id - 1] === key) return id - 1;
      i = (i + 1) & this.mask;
    }
    const id = this.keys.length;
    this.keys.push(key);
    const at = i * STRIDE;
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = id + 1;
    if (this.keys.length > (this.mask + 1) * MAX_LOAD) this.grow();
    return id;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 2] === 0) continue;
      let i = (old[at]! ^ old[at + 1]!) & this.mask;
      while (this.slots[i * STRIDE + 2] !== 0) i = (i + 1) & this.mask;
      this.slots.set(old.subarray(at, at + STRIDE), i * STRIDE);
    }
  }
}
