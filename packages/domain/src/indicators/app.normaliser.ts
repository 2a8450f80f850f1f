import { invalid, valid, type Validation } from '../validators/result';

export type AppReason = 'app.empty' | 'app.format';

export const appReasonMessagesZh: Record<AppReason, string> = {
  'app.empty': '请输入APP包名或安装包哈希',
  'app.format': 'APP应为包名（如 com.example.app）或64位十六进制的SHA-256哈希',
};

// Android package names and iOS bundle ids: dot-separated segments, each starting with a letter.
const PACKAGE_NAME = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * An app as the registry keys it: its package name in lower case ('com.evil.loan'), or the SHA-256
 * of its installer as 64 lower-case hex digits. A hash may be written with a 'sha256:' prefix or as
 * colon-separated byte pairs, as certificate and APK tools print it. Package names are compared in
 * lower case because fraud kits reuse a name with its case changed.
 */
export function normaliseApp(input: string): Validation<string> {
  const trimmed = input.trim().toLowerCase();
  if (trimmed === '') return invalid('app.empty', 'The app package name or hash is empty.');
  const hash = trimmed.replace(/^sha-?256:/, '').replace(/[:\s]/g, '');
  if (SHA256_HEX.test(hash)) return valid(hash);
  if (PACKAGE_NAME.test(trimmed)) return valid(trimmed);
  return invalid(
    'app.format',
    'An app is a package name such as com.example.app or a SHA-256 hash of 64 hex digits.',
  );
}
