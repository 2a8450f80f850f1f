import type { StreamMessage } from '@fanzha/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUuid } from '../../platform/http/cursor-parts';
import { actorOf } from '../../platform/http/policy';
import type { Actor } from '../../platform/actor';
import { streamSecurityHeaders } from '../../platform/http/security-headers';
import type { StreamHub } from './stream.hub';

const HEARTBEAT_MS = 15_000;
/** A client that cannot keep up is cut off (it reconnects and replays) rather than grow our memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function streamRoutes(deps: {
  hub: StreamHub;
  reauthenticate: (actor: Actor) => Promise<boolean>;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/stream',
      {
        config: { policy: { access: 'signed-in' } },
        schema: {
          tags: ['live'],
          summary: 'Live updates (Server-Sent Events)',
          description:
            'text/event-stream of `StreamMessage` JSON, each with an `id`. Reconnect with `Last-Event-ID` (or ' +
            '`?lastEventId=`) to receive what was missed first. Each role receives only what it may see. The stream ' +
            'ends when the session does.',
          querystring: z.strictObject({ lastEventId: z.uuid().optional() }),
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const header = req.headers['last-event-id'];
        const lastEventId = (isUuid(header) ? header : undefined) ?? req.query.lastEventId;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          ...streamSecurityHeaders,
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': req.id,
        });
        res.write('retry: 2000\n\n');
        let isClosed = false;
        const connection: { remove?: () => void } = {};
        const close = () => {
          if (isClosed) return;
          isClosed = true;
          clearInterval(heartbeat);
          connection.remove?.();
          res.end();
        };
        const send = (id: string, message: StreamMessage) => {
          if (isClosed) return;
          if (res.writableLength > MAX_BUFFERED_BYTES) return close();
          res.write(`id: ${id}\ndata: ${JSON.stringify(message)}\n\n`);
        };
        const heartbeat = setInterval(() => {
          void deps
            .reauthenticate(actor)
            .then((isValid) => (isValid ? res.write(': keep-alive\n\n') : close()));
        }, HEARTBEAT_MS);
        req.raw.on('close', close);
        connection.remove = await deps.hub.connect({ actor, send, close }, lastEventId);
        if (isClosed) connection.remove();
      },
    );
  };
}
