import { hash64Into } from './hash64';

/** Returned by `find` when no indicator has the key. */
export const NOT_FOUND = -1;

// Each slot is three 32-bit words in one array, so a probe reads one cache line: the hash's high
// and low words and the indicator's id. A hash of all zeros marks an empty slot (a real one is
// stored with its low word 1).
const STRIDE = 3;
// Linear probing stays short (about 3.6 probes for a miss at 0.6) below this load; at 10 M
// indicators the table has 2^24 slots, 12 bytes each: about 20 bytes per indicator.
const MAX_LOAD = 0.7;
const MIN_CAPACITY = 16;
// 2^28 slots (3 GiB) is the largest table a typed array of 32-bit words can hold here.
const MAX_CAPACITY = 2 ** 28;

function capacityFor(expected: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity * MAX_LOAD < expected) capacity *= 2;
  return capacity;
}

/**
 * The screening matcher's index: 64-bit hashes of indicator keys (`kind:normal form`) → 32-bit
 * indicator ids, in one typed array with open addressing. A V8 `Set` or `Map` stops at 16.7 M
 * entries and costs several times the memory; this holds hundreds of millions at 12 bytes a slot.
 * Deletion shifts the following entries back (no tombstones), so lookups never slow down with
 * churn. Two different keys with the same 64-bit hash are both kept: a lookup finds candidates,
 * and the caller confirms a hit against the stored value.
 */
export class IndicatorTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private readonly scratch = new Uint32Array(2);
  private batchHi = new Uint32Array(0);
  private batchLo = new Uint32Array(0);

  constructor(expected = 0) {
    const capacity = capacityFor(expected);
    this.slots = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Memory held by the table itself. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** Adds `id` under `key`; false when that pair is already there. */
  add(key: string, id: number): boolean {
    hash64Into(key, this.scratch);
    return this.addHash(this.scratch[0]!, this.scratch[1]!, id);
  }

  /** Removes `id` from under `key`; false when the pair was not there. */
  remove(key: string, id: number): boolean {
    hash64Into(key, this.scratch);
    return this.removeHash(this.scratch[0]!, this.scratch[1]!, id);
  }

  /** The id of an indicator with this key, or NOT_FOUND. */
  find(key: string): number {
    hash64Into(key, this.scratch);
    return this.findHash(this.scratch[0]!, this.scratch[1]!);
  }

  /** Every id under this key (more than one only if two keys share a 64-bit hash), appended to `out`. */
  findAll(key: string, out: number[]): number[] {
    hash64Into(key, this.scratch);
    return this.findAllHash(this.scratch[0]!, this.scratch[1]!, out);
  }

  /**
   * Looks up a batch of keys: `out[i]` is the id for `keys[i]` or NOT_FOUND. All keys are hashed
   * first and then probed in a loop whose reads do not depend on each other, so the processor can
   * wait for several slots' cache lines at once; one by one, each lookup waits for its own.
   */
  findMany(keys: readonly string[], out: Float64Array | number[]): void {
    const n = keys.length;
    if (this.batchHi.length < n) {
      this.batchHi = new Uint32Array(n);
      this.batchLo = new Uint32Array(n);
    }
    const his = this.batchHi;
    const los = this.batchLo;
    const scratch = this.scratch;
    for (let i = 0; i < n; i++) {
      hash64Into(keys[i]!, scratch);
      his[i] = scratch[0]!;
      los[i] = scratch[1]!;
    }
    for (let i = 0; i < n; i++) out[i] = this.findHash(his[i]!, los[i]!);
  }

  addHash(hi: number, lo: number, id: number): boolean {
    if (id >>> 0 !== id) throw new RangeError(`IndicatorTable: id ${id} is not an unsigned 32-bit integer`);
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const at = i * STRIDE;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) break;
      if (h === hi && l === lo && slots[at + 2] === id >>> 0) return false;
      i = (i + 1) & mask;
    }
    if (this.count + 1 > this.capacity * MAX_LOAD) {
      this.grow();
      this.place(hi, lo, id);
    } else {
      const at = i * STRIDE;
      slots[at] = hi;
      slots[at + 1] = lo;
      slots[at + 2] = id;
    }
    this.count++;
    return true;
  }

  findHash(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const at = i * STRIDE;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === hi && l === lo) return slots[at + 2]!;
      if (h === 0 && l === 0) return NOT_FOUND;
      i = (i + 1) & mask;
    }
  }

  findAllHash(hi: number, lo: number, out: number[]): number[] {
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.slots;
    const mask = this.mask;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = i * STRIDE;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) return out;
      if (h === hi && l === lo) out.push(slots[at + 2]!);
    }
  }

  removeHash(hi: number, lo: number, id: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const at = i * STRIDE;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo && slots[at + 2] === id >>> 0) break;
      i = (i + 1) & mask;
    }
    // Backward shift: move each later entry of the run into the hole unless its home slot lies
    // cyclically after the hole (then moving it would put it before its home, where lookups never look).
    let hole = i;
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const at = j * STRIDE;
      const l = slots[at + 1]!;
      if (slots[at] === 0 && l === 0) break;
      const home = l & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      const to = hole * STRIDE;
      slots[to] = slots[at]!;
      slots[to + 1] = l;
      slots[to + 2] = slots[at + 2]!;
      hole = j;
    }
    const to = hole * STRIDE;
    slots[to] = 0;
    slots[to + 1] = 0;
    slots[to + 2] = 0;
    this.count--;
    return true;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    if (capacity > MAX_CAPACITY)
      throw new Error(`IndicatorTable: more than ${MAX_CAPACITY * MAX_LOAD} entries`);
    const old = this.slots;
    this.slots = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      const hi = old[at]!;
      const lo = old[at + 1]!;
      if (hi !== 0 || lo !== 0) this.place(hi, lo, old[at + 2]!);
    }
  }

  // Puts an entry known to be absent into the first empty slot of its run.
  private place(hi: number, lo: number, id: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    while (slots[i * STRIDE] !== 0 || slots[i * STRIDE + 1] !== 0) i = (i + 1) & mask;
    const at = i * STRIDE;
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = id;
  }
}
