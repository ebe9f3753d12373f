import type { MessageHandler } from '@nestjs/microservices';
import { InProcessBroker } from './in-process-broker';
import { InProcessClient } from './in-process.client';

/** An event handler that records what it was given. */
function recordingHandler(seen: unknown[]): MessageHandler {
  const handler = ((data: unknown) => {
    seen.push(data);
    return Promise.resolve();
  }) as MessageHandler;
  handler.isEventHandler = true;
  return handler;
}

describe('InProcessClient.publishEvent', () => {
  it('gives every handler its own copy by default, as a wire would', async () => {
    const broker = new InProcessBroker();
    const seen: unknown[] = [];
    broker.registerEventHandler('trace.x', recordingHandler(seen));
    broker.registerEventHandler('trace.x', recordingHandler(seen));
    const event = { id: 'a', nested: { n: 1 } };
    await new InProcessClient(broker).publishEvent('trace.x', event);
    expect(seen).toEqual([event, event]);
    expect(seen[0]).not.toBe(event);
    expect(seen[1]).not.toBe(event);
  });

  it('hands a handed-over payload to the first handler as is, and still copies it for the others', async () => {
    const broker = new InProcessBroker();
    const seen: unknown[] = [];
    broker.registerEventHandler('trace.x', recordingHandler(seen));
    broker.registerEventHandler('trace.x', recordingHandler(seen));
    const event = { id: 'b' };
    await new InProcessClient(broker).publishEvent('trace.x', event, { handOver: true });
    expect(seen[0]).toBe(event);
    expect(seen[1]).toEqual(event);
    expect(seen[1]).not.toBe(event);
  });
});
