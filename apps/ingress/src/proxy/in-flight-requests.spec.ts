import { GatewayError } from '@gw/ir';
import type { ClientConnection } from './client-connection';
import { InFlightRequests } from './in-flight-requests';

/** A request's connection as the registry sees it: what it was told to do. */
function fakeClient(): ClientConnection & { interruptedWith?: Error; closesAfterAnswer: boolean } {
  const client = {
    closesAfterAnswer: false,
    interruptedWith: undefined as Error | undefined,
    interrupt(reason: Error) {
      client.interruptedWith = reason;
    },
    closeAfterAnswer() {
      client.closesAfterAnswer = true;
    },
  };
  return client as unknown as ClientConnection & typeof client;
}

describe('InFlightRequests', () => {
  it('waits for requests that end within the drain time, and interrupts none of them', async () => {
    const requests = new InFlightRequests();
    const client = fakeClient();
    requests.admit(client);
    setTimeout(() => requests.delete(client), 20);
    expect(await requests.drain(5_000, 1_000)).toEqual({ interrupted: 0, abandoned: 0 });
    expect(client.interruptedWith).toBeUndefined();
    expect(client.closesAfterAnswer).toBe(true);
  });

  it('at the deadline, interrupts what still runs with a 503 "The gateway is shutting down"', async () => {
    const requests = new InFlightRequests();
    const stuck = fakeClient();
    requests.admit(stuck);
    const drained = requests.drain(30, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stuck.interruptedWith).toMatchObject({ code: 'service_unavailable', httpStatus: 503, message: 'The gateway is shutting down' });
    requests.delete(stuck); // the relay wrote its error and ended
    expect(await drained).toEqual({ interrupted: 1, abandoned: 0 });
  });

  it('refuses requests arriving while draining with a 503, and closes their connections after the answer', () => {
    const requests = new InFlightRequests();
    requests.beginDraining();
    const late = fakeClient();
    expect(() => requests.admit(late)).toThrow(GatewayError);
    expect(late.closesAfterAnswer).toBe(true);
  });

  it('a second signal (hurry) interrupts at once instead of waiting for the deadline', async () => {
    const requests = new InFlightRequests();
    const stuck = fakeClient();
    requests.admit(stuck);
    const drained = requests.drain(60_000, 0);
    requests.hurry();
    expect(await drained).toEqual({ interrupted: 1, abandoned: 1 });
    expect(stuck.interruptedWith).toBeInstanceOf(GatewayError);
  });

  it('keeps exact count of requests that come and go in any order, and interrupts only those still running', async () => {
    const requests = new InFlightRequests();
    const clients = Array.from({ length: 10 }, () => fakeClient());
    for (const client of clients) requests.admit(client);
    for (const index of [0, 9, 4, 5, 2]) requests.delete(clients[index]!);
    requests.delete(clients[4]!); // twice: no effect
    expect(requests.size).toBe(5);
    const drained = requests.drain(0, 0);
    expect(await drained).toEqual({ interrupted: 5, abandoned: 5 });
    const interrupted = clients.map((client, index) => (client.interruptedWith ? index : -1)).filter((index) => index >= 0);
    expect(interrupted.sort((a, b) => a - b)).toEqual([1, 3, 6, 7, 8]);
  });
});
