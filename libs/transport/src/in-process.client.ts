import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { InProcessBroker, defaultInProcessBroker } from './in-process-broker';
import { invokeHandler } from './in-process.server';

/** ClientProxy over the in-process broker: `send` and `emit` behave as over NATS, without a socket. */
export class InProcessClient extends ClientProxy {
  constructor(private readonly broker: InProcessBroker = defaultInProcessBroker) {
    super();
  }

  async connect(): Promise<void> {}

  close(): void {}

  unwrap<T>(): T {
    return this.broker as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const pattern = this.normalizePattern(packet.pattern as string);
    const handler = this.broker.getRequestHandler(pattern);
    if (!handler) {
      callback({ err: `There is no matching message handler defined in the remote service (${pattern}).`, isDisposed: true });
      return () => undefined;
    }
    invokeHandler(handler, structuredClone(packet.data)).then(
      (response) => callback({ response: structuredClone(response), isDisposed: true }),
      (error: unknown) => callback({ err: error instanceof Error ? error.message : error, isDisposed: true }),
    );
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    await this.publishEvent(this.normalizePattern(packet.pattern as string), packet.data);
    return undefined as T;
  }

  /**
   * `emit` without its rxjs machinery, for events sent once per request (trace events). Handlers get a
   * copy, as over NATS, unless the sender hands the payload over (`handOver`: built for this one send and
   * never touched again), which spares a structured clone per request when there is one handler.
   */
  async publishEvent(pattern: string, data: unknown, options: { handOver?: boolean } = {}): Promise<void> {
    const handlers = this.broker.getEventHandlers(pattern);
    const payloadFor = (index: number): unknown => (options.handOver && index === 0 ? data : structuredClone(data));
    await Promise.all(handlers.map((handler, index) => invokeHandler(handler, payloadFor(index))));
  }
}
