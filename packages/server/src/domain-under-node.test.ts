import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Vitest resolves modules like a bundler; the server runs under Node's own resolver (through tsx).
// A domain import that only a bundler understands would pass every unit test and crash `npm start`.
describe('the domain package under Node', () => {
  it('loads and validates an IDN host as the server process would', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const script =
      "const d = await import('@fanzha/domain');" +
      "const r = d.validateUrl('http://中国.cn/x'); console.log(JSON.stringify(r.ok && [r.value.host, r.value.hostUnicode]));";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: `${root}/packages/server`,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual(['xn--fiqs8s.cn', '中国.cn']);
  });
});
