import type { MessageHandler } from '@nestjs/microservices';
import type { GatewayConfig } from '@gw/config';
import { TraceSubjects, type RequestFinishedEvent } from '@gw/contracts';
import { InProcessBroker, InProcessClient } from '@gw/transport';
import { TraceEventPublisher } from './trace-event.publisher';

describe('TraceEventPublisher on the in-process bus', () => {
  let deliveries: RequestFinishedEvent[][];
  let publisher: TraceEventPublisher;

  beforeEach(() => {
    deliveries = [];
    const broker = new InProcessBroker();
    const handler = ((events: RequestFinishedEvent[]) => {
      deliveries.push(events);
      return Promise.resolve();
    }) as MessageHandler;
    handler.isEventHandler = true;
    broker.registerEventHandler(TraceSubjects.requestsFinished, handler);
    publisher = new TraceEventPublisher({ nats: {} } as GatewayConfig, new InProcessClient(broker));
  });

  const event = (index: number): RequestFinishedEvent => ({ requestId: `req_${index}` }) as RequestFinishedEvent;
  const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('carries the requests finished within one window as one delivery, in order', async () => {
    for (let index = 0; index < 5; index++) publisher.publish(event(index));
    expect(deliveries).toEqual([]); // never on the request's own path
    await waitMs(30);
    expect(deliveries.map((batch) => batch.map((e) => e.requestId))).toEqual([['req_0', 'req_1', 'req_2', 'req_3', 'req_4']]);
    publisher.publish(event(5));
    await waitMs(30);
    expect(deliveries.map((batch) => batch.length)).toEqual([5, 1]);
  });

  it('delivers the open window before shutdown instead of dropping it', async () => {
    publisher.publish(event(0));
    publisher.publish(event(1));
    await publisher.beforeApplicationShutdown();
    expect(deliveries.map((batch) => batch.map((e) => e.requestId))).toEqual([['req_0', 'req_1']]);
    await waitMs(30);
    expect(deliveries).toHaveLength(1);
    // Requests finishing during shutdown are not held for a window the writer's last flush may not see.
    publisher.publish(event(2));
    expect(deliveries.map((batch) => batch.map((e) => e.requestId))).toEqual([['req_0', 'req_1'], ['req_2']]);
  });
});
