/**
 * What a start without any admin account says: nobody can sign in to create users, so the notice names
 * the two ways to make the first admin, with the settings each needs (never their secret values).
 */
export function firstAdminNotice(storage: { databaseUrl?: string | undefined; dataDir: string }): string {
  const cli = 'fanzha user add --username <name> --name "<display name>" --role admin';
  const viaCli = storage.databaseUrl
    ? `or run \`${cli}\` with the same DATABASE_URL and FANZHA_SECRET_KEY as this server (the password is asked for)`
    : `or stop this server and run \`FANZHA_DATA_DIR=${storage.dataDir} ${cli}\` (the password is asked for), then start it again`;
  return (
    'no admin account exists yet, so nobody can sign in to create users. Create the first admin: ' +
    'restart with FANZHA_BOOTSTRAP_ADMIN=<name>:<password of 12 or more characters> ' +
    '(created at start only while no admin exists; remove the variable afterwards), ' +
    viaCli
  );
}
