import { createApiClient } from '@fanzha/contracts/client';
import { sessionSignals } from './session-signals';

/** Same-origin client: the server (or Vite's proxy in development) serves both the app and `/api`. */
export const api = createApiClient({ baseUrl: '' });

// Every answer tells the session guard and the expiry warning about the session.
api.use({
  onResponse: ({ request, response }) => sessionSignals.observe(new URL(request.url).pathname, response),
});
