import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../platform/http/errors';
import { installSecurityHeaders, WEB_CSP } from '../../platform/http/security-headers';
import { pickEncoding } from './accept-encoding';
import { webRoutes } from './web.routes';

const INDEX = '<!doctype html><title>fanzha</title>';
const SCRIPT = 'console.log("the console");'.repeat(100);
const CHROMIUM = 'gzip, deflate, br, zstd';

describe('web app serving', () => {
  let dir: string;
  const app = Fastify();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanzha-web-'));
    await mkdir(join(dir, 'assets'));
    // As the build leaves them: each text file with its brotli and gzip copies beside it.
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'index.html.br'), brotliCompressSync(INDEX));
    await writeFile(join(dir, 'index.html.gz'), gzipSync(INDEX));
    await writeFile(join(dir, 'assets', 'app-abc123.js'), SCRIPT);
    await writeFile(join(dir, 'assets', 'app-abc123.js.br'), brotliCompressSync(SCRIPT));
    await writeFile(join(dir, 'assets', 'app-abc123.js.gz'), gzipSync(SCRIPT));
    await writeFile(join(dir, 'assets', 'small-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(join(tmpdir(), 'fanzha-secret.txt'), 'do not serve');
    installErrorHandler(app);
    installSecurityHeaders(app);
    await app.register(webRoutes(dir));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html for deep links so the app router can handle them, never cached', async () => {
    for (const url of ['/', '/intake', '/wall', '/stop-payment/123']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>fanzha</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long immutable cache', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.body).toBe(SCRIPT);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('sends the brotli copy to a browser that takes it, with the headers of the file itself', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': CHROMIUM },
    });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toContain('accept-encoding');
    expect(res.rawPayload.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(SCRIPT);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The security headers stay on compressed answers too.
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('sends gzip where brotli is not accepted, and the plain file where nothing is', async () => {
    const gz = await app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const refused = await app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'br;q=0, gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(SCRIPT);
    expect(refused.headers.vary).toContain('accept-encoding');
  });

  it('compresses index.html for deep links too, still never cached', async () => {
    const res = await app.inject({ method: 'GET', url: '/intake', headers: { 'accept-encoding': CHROMIUM } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(INDEX);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
  });

  it('sends files without copies (too small, or pictures) as they are', async () => {
    for (const url of ['/assets/small-abc123.js', '/assets/logo-abc123.png']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': CHROMIUM } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBeUndefined();
      expect(res.headers.vary, url).toBeUndefined();
    }
  });

  it('never serves files outside the web folder', async () => {
    const res = await app.inject({ method: 'GET', url: '/..%2Ffanzha-secret.txt' });
    expect(res.body).not.toContain('do not serve');
  });

  it('keeps /api paths out of the app fallback', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/unknown' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('says how to build the web app when it is missing', async () => {
    const bare = Fastify();
    await bare.register(webRoutes(join(dir, 'nowhere')));
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
  });
});

describe('choosing the encoding', () => {
  const both = () => true;
  it('prefers brotli, follows the weights, and never picks a refused one', () => {
    expect(pickEncoding(CHROMIUM, both)).toBe('br');
    expect(pickEncoding('gzip;q=1, br;q=0.5', both)).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip', both)).toBe('gzip');
    expect(pickEncoding('*', both)).toBe('br');
    expect(pickEncoding('*;q=0', both)).toBeUndefined();
    expect(pickEncoding('identity', both)).toBeUndefined();
    expect(pickEncoding(undefined, both)).toBeUndefined();
    expect(pickEncoding('BR', both)).toBe('br');
  });

  it('picks only what the build wrote', () => {
    expect(pickEncoding(CHROMIUM, (e) => e === 'gzip')).toBe('gzip');
    expect(pickEncoding(CHROMIUM, () => false)).toBeUndefined();
  });
});
