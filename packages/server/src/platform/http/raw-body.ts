import type { FastifyRequest } from 'fastify';

const rawBodies = new WeakMap<object, unknown>();

/**
 * A bank's signature covers its request body exactly as sent, before validation trims it or fills in
 * defaults: routes that verify one keep a copy in `preValidation`.
 */
export const keepRawBody = async (req: FastifyRequest): Promise<void> => {
  rawBodies.set(req, structuredClone(req.body));
};
export const rawBodyOf = (req: FastifyRequest): unknown => rawBodies.get(req);
