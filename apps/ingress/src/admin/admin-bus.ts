import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, EVENTS_CLIENT, type AdminActor, type AdminReply } from '@gw/contracts';
import { busRequest } from '@gw/transport';
import { isAllowed, type AdminPermission } from './admin-access';
import { AdminHttpError } from './admin-error';

/**
 * Ingress's side of the admin API: authenticates the caller with the auth service, checks the role, and
 * hands each command to the owning service over the bus (NATS, or the in-process bus when embedded). This
 * is the control plane: none of it runs on an inference request.
 */
@Injectable()
export class AdminBus {
  private readonly logger = new Logger(AdminBus.name);

  constructor(@Inject(EVENTS_CLIENT) private readonly bus: ClientProxy) {}

  /** The caller, if its bearer token is valid and its role grants `permission`; 401 / 403 otherwise. */
  async authorize(request: FastifyRequest, permission: AdminPermission): Promise<AdminActor> {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined)
      throw new AdminHttpError({ code: 'unauthorized', message: 'Send an admin token as "Authorization: Bearer <token>".' });
    const { actor } = await this.request<{ actor: AdminActor | null }>(AdminSubjects.authenticate, { token });
    if (actor === null) throw new AdminHttpError({ code: 'unauthorized', message: 'Unknown or revoked admin token.' });
    if (!isAllowed(actor, permission)) {
      throw new AdminHttpError({
        code: 'forbidden',
        message: `A ${actor.role} token may not do this (it needs "${permission}").`,
        details: { role: actor.role },
      });
    }
    return actor;
  }

  /** Sends a command; a refusal becomes its admin error, a silent service a 503. */
  async call<T>(subject: string, command: object, timeoutMs?: number): Promise<T> {
    const reply = await this.request<AdminReply<T>>(subject, command, timeoutMs);
    if (!reply.ok) throw new AdminHttpError(reply.error);
    return reply.value;
  }

  private async request<T>(subject: string, payload: object, timeoutMs?: number): Promise<T> {
    try {
      return await busRequest<T>(this.bus, subject, payload, timeoutMs);
    } catch (error) {
      this.logger.warn(`Admin command ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new AdminHttpError({
        code: 'service_unavailable',
        message: 'The service that owns this resource did not answer; try again shortly.',
      });
    }
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Request bodies of writes must be JSON objects (Fastify leaves the body undefined without a JSON content type). */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdminHttpError({ code: 'invalid_request', message: 'The body must be a JSON object (content-type: application/json).' });
  }
  return body as Record<string, unknown>;
}
