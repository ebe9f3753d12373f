import type { ClientProxy } from '@nestjs/microservices';
import { GatewayError } from '@gw/ir';
import { firstValueFrom, timeout } from 'rxjs';

/**
 * Request/reply over the bus with a deadline. NestJS collapses remote exceptions to a message, so a
 * failed or slow service becomes an explicit `service_unavailable` here, never an unhandled rejection.
 */
export async function busRequest<TReply>(client: ClientProxy, subject: string, payload: unknown, timeoutMs = 5_000): Promise<TReply> {
  try {
    return await firstValueFrom(client.send<TReply>(subject, payload).pipe(timeout(timeoutMs)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
    throw new GatewayError('service_unavailable', `Internal service did not answer ${subject}: ${reason}`);
  }
}
