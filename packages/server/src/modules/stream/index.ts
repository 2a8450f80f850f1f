export { createStreamHub, messageFor, type StreamHub } from './stream.hub';
export { streamRoutes } from './stream.routes';
