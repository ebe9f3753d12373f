import { ConversationTraceIds, conversationTraceId } from './conversation-trace';
import { spanContextFromTraceparent, traceparentOf } from './trace-context';

describe('conversation trace ids', () => {
  it('are the same for the same project and key (any replica, any restart) and differ across keys and projects', () => {
    const id = conversationTraceId('project-a', 'thread-1');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(conversationTraceId('project-a', 'thread-1')).toBe(id);
    expect(conversationTraceId('project-a', 'thread-2')).not.toBe(id);
    expect(conversationTraceId('project-b', 'thread-1')).not.toBe(id);
    expect(new ConversationTraceIds(2).traceIdOf('project-a', 'thread-1')).toBe(id);
  });

  it('stay correct when the cache is full', () => {
    const ids = new ConversationTraceIds(2);
    const keys = ['a', 'b', 'c', 'a', 'd', 'b'];
    expect(keys.map((key) => ids.traceIdOf(null, key))).toEqual(keys.map((key) => conversationTraceId(null, key)));
  });
});

describe('traceparent', () => {
  it('reads a valid header and refuses malformed or all-zero ids', () => {
    expect(spanContextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(spanContextFromTraceparent(undefined)).toBeUndefined();
    expect(spanContextFromTraceparent('garbage')).toBeUndefined();
    expect(spanContextFromTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceparentOf({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) })).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
  });
});
