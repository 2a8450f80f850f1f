import { describe, expect, it } from 'vitest';
import { firstAdminNotice } from './first-admin';

describe('the first-admin notice', () => {
  it('names both ways with the settings of a PostgreSQL server, and no secret value', () => {
    const notice = firstAdminNotice({ databaseUrl: 'postgres://u:pw@db/fanzha', dataDir: './data' });
    expect(notice).toContain('FANZHA_BOOTSTRAP_ADMIN=<name>:<password');
    expect(notice).toContain('fanzha user add --username <name> --name "<display name>" --role admin');
    expect(notice).toContain('the same DATABASE_URL and FANZHA_SECRET_KEY as this server');
    expect(notice).not.toContain('pw@db');
  });

  it('on the embedded database, says to stop the server first (it holds the data folder)', () => {
    const notice = firstAdminNotice({ databaseUrl: undefined, dataDir: '/srv/fanzha' });
    expect(notice).toContain('stop this server and run `FANZHA_DATA_DIR=/srv/fanzha fanzha user add');
    expect(notice).not.toContain('DATABASE_URL');
  });
});
