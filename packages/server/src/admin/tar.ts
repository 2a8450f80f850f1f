/**
 * Just enough of the ustar format for backups: PGlite dumps its folder as a tarball (from which a few of
 * fanzha's own files are left out), and a backup is itself a small tarball holding the manifest and that
 * dump — one file to copy and keep, which `tar` can open too.
 */
const BLOCK = 512;

export interface TarEntry {
  /** The name as stored, without a leading `/`. */
  name: string;
  /** Header and data blocks as found, so that an entry is copied unchanged. */
  blocks: Uint8Array;
  data: Uint8Array;
}

export class TarError extends Error {}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8').replace(/\0.*$/s, '');
const octal = (bytes: Uint8Array) => {
  const digits = text(bytes).trim();
  if (!/^[0-7]*$/.test(digits)) throw new TarError(`not a tar header (size ${JSON.stringify(digits)})`);
  return digits === '' ? 0 : parseInt(digits, 8);
};

function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** Every entry of a tarball, headers checked; throws TarError on anything malformed or cut short. */
export function readTar(tarball: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tarball.length) throw new TarError('the archive ends without its end marker');
    const header = tarball.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    if (octal(header.subarray(148, 156)) !== checksum(header))
      throw new TarError(`damaged header at byte ${offset}`);
    const size = octal(header.subarray(124, 136));
    const prefix = text(header.subarray(345, 500));
    const name = (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100));
    const end = offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (end > tarball.length) throw new TarError(`the archive is cut short in ${name}`);
    entries.push({
      name: name.replace(/^\/+/, ''),
      blocks: tarball.subarray(offset, end),
      data: tarball.subarray(offset + BLOCK, offset + BLOCK + size),
    });
    offset = end;
  }
}

/** What ends a tarball: two empty blocks. */
export const END_OF_TAR = new Uint8Array(2 * BLOCK);

/** A tarball of the given entries, in order: copied ones as they were, new files (mode 600) built here. */
export function writeTar(
  entries: ReadonlyArray<TarEntry | { name: string; data: Uint8Array; mtime: Date }>,
): Uint8Array {
  const parts = entries.map((e) => ('blocks' in e ? e.blocks : fileBlocks(e.name, e.data, e.mtime)));
  return Buffer.concat([...parts, END_OF_TAR]);
}

function fileBlocks(name: string, data: Uint8Array, mtime: Date): Uint8Array {
  if (Buffer.byteLength(name) > 99) throw new TarError(`name too long for the archive: ${name}`);
  const header = Buffer.alloc(BLOCK);
  const put = (at: number, value: string) => header.write(value, at, 'utf8');
  put(0, name);
  put(100, '0000600\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
  put(
    136,
    `${Math.floor(mtime.getTime() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
  );
  put(156, '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(148, `${checksum(header).toString(8).padStart(6, '0')}\0 `);
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  padded.set(data);
  return Buffer.concat([header, padded]);
}
