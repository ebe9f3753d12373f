import type { MessageHandler } from '@nestjs/microservices';

/**
 * The embedded mode's stand-in for NATS: one process, same contracts. Servers register their
 * @MessagePattern/@EventPattern handlers here; clients look them up. Payloads are structured-cloned
 * on the way in and out so no caller can share mutable state with a handler (as over a real wire).
 */
export class InProcessBroker {
  private readonly requestHandlers = new Map<string, MessageHandler>();
  private readonly eventHandlers = new Map<string, MessageHandler[]>();

  registerRequestHandler(pattern: string, handler: MessageHandler): void {
    if (this.requestHandlers.has(pattern)) throw new Error(`In-process broker: two handlers for ${pattern}`);
    this.requestHandlers.set(pattern, handler);
  }

  registerEventHandler(pattern: string, handler: MessageHandler): void {
    const list = this.eventHandlers.get(pattern) ?? [];
    list.push(handler);
    this.eventHandlers.set(pattern, list);
  }

  unregisterAll(handlers: Iterable<MessageHandler>): void {
    const toRemove = new Set(handlers);
    for (const [pattern, handler] of this.requestHandlers) if (toRemove.has(handler)) this.requestHandlers.delete(pattern);
    for (const [pattern, list] of this.eventHandlers) {
      this.eventHandlers.set(
        pattern,
        list.filter((handler) => !toRemove.has(handler)),
      );
    }
  }

  getRequestHandler(pattern: string): MessageHandler | undefined {
    return this.requestHandlers.get(pattern);
  }

  getEventHandlers(pattern: string): readonly MessageHandler[] {
    return this.eventHandlers.get(pattern) ?? [];
  }
}

/** One broker per process; embedded mode has exactly one gateway per process. */
export const defaultInProcessBroker = new InProcessBroker();
