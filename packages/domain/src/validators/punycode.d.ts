// Types for the npm punycode package imported as 'punycode/' (see domain.validator.ts).
declare module 'punycode/' {
  export function toUnicode(domain: string): string;
  export function toASCII(domain: string): string;
}
