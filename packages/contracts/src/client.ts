// The typed API client alone, without the zod schemas: the web app takes it from here, so that its
// bundle neither carries nor runs the schemas (zod probes for `eval`, which the app's CSP refuses).
export * from './api-error';
export * from './api-client';
export type { components, operations, paths } from './generated/api';
