import type pg from 'pg';

/** A value of COPY's text format: backslash, tab, line breaks escaped; null as `\N`. */
export function copyTextValue(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** One row of COPY's text format, with its line break. */
export const copyTextRow = (values: ReadonlyArray<string | null>) =>
  `${values.map(copyTextValue).join('\t')}\n`;

/** Bytes sent per CopyData message. */
const CHUNK = 256 * 1024;

/**
 * `COPY table (columns) FROM STDIN` as a pg submittable: pg hands it the connection, it sends the rows once
 * the server asks for them (CopyInResponse) and resolves with the rows copied. The protocol's own bulk path,
 * without a dependency: pg calls `submit`, `handleCopyInResponse`, `handleCommandComplete`, `handleError` and
 * `handleReadyForQuery` on the active query.
 */
class CopyFromText {
  callback?: (err: Error | null, rows?: number) => void;
  private rows = 0;
  private error: Error | null = null;
  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {}

  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
    for (let i = 0; i < this.data.length; i += CHUNK)
      connection.sendCopyFromChunk(this.data.subarray(i, i + CHUNK));
    connection.endCopyFrom();
  }
  handleCommandComplete(msg: { text?: string }) {
    const n = /COPY (\d+)/.exec(msg.text ?? '');
    this.rows = n ? Number(n[1]) : 0;
  }
  handleError(err: Error) {
    this.error = err;
  }
  handleReadyForQuery() {
    this.callback?.(this.error, this.rows);
  }
  // Not expected of a COPY FROM; present so that pg finds every handler it may call.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};

/** Copies rows (COPY's text format, `copyTextRow`) into a table on a connection of the pool; their count. */
export async function copyInto(
  pool: pg.Pool,
  table: string,
  columns: readonly string[],
  text: string,
): Promise<number> {
  const client = await pool.connect();
  let failed = false;
  try {
    const copy = new CopyFromText(
      `copy ${ident(table)} (${columns.map(ident).join(', ')}) from stdin`,
      Buffer.from(text, 'utf8'),
    );
    return await new Promise<number>((resolve, reject) => {
      copy.callback = (err, rows) => (err ? reject(err) : resolve(rows ?? 0));
      (client as unknown as { query(q: unknown): void }).query(copy);
    });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.release(failed);
  }
}
