import { describe, expect, it } from 'vitest';
import { readTar, TarError, writeTar } from './tar';

const at = new Date('2026-12-01T00:00:00Z');

describe('tar', () => {
  it('reads back what it writes, copies entries unchanged, and is read by its end marker', () => {
    const big = new Uint8Array(1300).map((_, i) => i % 251);
    const tarball = writeTar([
      { name: 'manifest.json', data: Buffer.from('{"a":1}'), mtime: at },
      { name: 'dir/empty', data: new Uint8Array(0), mtime: at },
      { name: 'pgdata.tar.gz', data: big, mtime: at },
    ]);
    expect(tarball.length % 512).toBe(0);
    const entries = readTar(tarball);
    expect(entries.map((e) => [e.name, e.data.length])).toEqual([
      ['manifest.json', 7],
      ['dir/empty', 0],
      ['pgdata.tar.gz', 1300],
    ]);
    expect(Buffer.from(entries[2]!.data)).toEqual(Buffer.from(big));
    // Filtering keeps the others byte for byte.
    const filtered = writeTar(entries.filter((e) => e.name !== 'dir/empty'));
    expect(readTar(filtered).map((e) => e.name)).toEqual(['manifest.json', 'pgdata.tar.gz']);
    expect(Buffer.from(readTar(filtered)[1]!.data)).toEqual(Buffer.from(big));
  });

  it('refuses a changed header, a cut-short archive, and one without its end', () => {
    const tarball = writeTar([{ name: 'a', data: Buffer.from('x'.repeat(600)), mtime: at }]);
    const header = Buffer.from(tarball);
    header[0] = 'b'.charCodeAt(0);
    expect(() => readTar(header)).toThrow(/damaged header/);
    expect(() => readTar(tarball.subarray(0, 1000))).toThrow(TarError);
    expect(() => readTar(tarball.subarray(0, tarball.length - 1024))).toThrow(/end marker/);
  });
});
