import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { InProcessBroker, defaultInProcessBroker } from './in-process-broker';

export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

/** NestJS transport strategy that serves handlers to an in-process broker (embedded mode). */
export class InProcessServer extends Server implements CustomTransportStrategy {
  override transportId = IN_PROCESS_TRANSPORT;

  constructor(private readonly broker: InProcessBroker = defaultInProcessBroker) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) this.broker.registerEventHandler(pattern, handler);
      else this.broker.registerRequestHandler(pattern, handler);
    }
    callback();
  }

  close(): void {
    this.broker.unregisterAll(this.messageHandlers.values());
  }

  on(): never {
    throw new Error('InProcessServer has no transport events');
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}

/** Runs a Nest message handler and resolves its (possibly Observable) result. */
export async function invokeHandler(handler: (data: unknown) => unknown, data: unknown): Promise<unknown> {
  const result = await handler(data);
  return isObservable(result) ? lastValueFrom(result) : result;
}
