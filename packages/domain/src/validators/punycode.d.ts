// Types for the npm punycode package, imported by file so that Node does not pick its deprecated
// built-in `punycode` module instead (see domain.validator.ts).
declare module 'punycode/punycode.js' {
  const punycode: { toUnicode(domain: string): string; toASCII(domain: string): string };
  export default punycode;
}
