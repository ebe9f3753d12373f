import { ConversationKeyResolver } from './conversation-key';

describe('ConversationKeyResolver', () => {
  const resolver = new ConversationKeyResolver(['Conversation_id', 'X-Chat-Session'], true);

  it('prefers AH-Trace-Id over everything', () => {
    expect(resolver.resolve({ 'ah-trace-id': 't1', 'conversation-id': 'c1', 'session-id': 's1' })).toEqual({
      key: 't1',
      source: 'ah-trace-id',
      explicit: true,
    });
  });

  it('tries extra headers in order, case-insensitively with _ equal to -', () => {
    expect(resolver.resolve({ 'x-chat-session': 'x', conversation_id: 'c' })?.key).toBe('c');
    expect(resolver.resolve({ 'X-CHAT-SESSION': 'x' })?.source).toBe('x-chat-session');
  });

  it('falls back to Codex headers (both styles), then prompt_cache_key', () => {
    expect(resolver.resolve({ 'session-id': 'codex-thread' })).toEqual({ key: 'codex-thread', source: 'session-id', explicit: false });
    expect(resolver.resolve({ session_id: 'old-codex' })?.key).toBe('old-codex');
    expect(resolver.resolve({}, 'pck')).toEqual({ key: 'pck', source: 'prompt_cache_key', explicit: false });
  });

  it('lets a request stand alone when conventions are off and nothing explicit is sent', () => {
    expect(new ConversationKeyResolver([], false).resolve({ 'session-id': 's' }, 'pck')).toBeUndefined();
  });

  it('skips empty values, keeps the first of two spellings of one header, and honours an explicit convention name', () => {
    expect(resolver.resolve({ 'ah-trace-id': '', 'session-id': 's1' })).toEqual({ key: 's1', source: 'session-id', explicit: false });
    expect(resolver.resolve({ conversation_id: 'first', 'conversation-id': 'second' })?.key).toBe('first');
    expect(resolver.resolve({ 'x-chat-session': ['a', 'b'] })?.key).toBe('a');
    const sessionIsExplicit = new ConversationKeyResolver(['Session-Id'], true);
    expect(sessionIsExplicit.resolve({ 'session-id': 's', 'thread-id': 't' })).toEqual({ key: 's', source: 'session-id', explicit: true });
  });
});
