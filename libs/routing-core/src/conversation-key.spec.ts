import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationKeyResolver, claudeCodeSessionId } from './conversation-key';

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

describe('Claude Code conversations', () => {
  const resolver = new ConversationKeyResolver([], true);
  const current = JSON.parse(
    readFileSync(join(__dirname, '../../../test/fixtures/clients/claude-code/messages-current.request.json'), 'utf8'),
  ) as { headers: Record<string, string>; body: { metadata: { user_id: string } } };

  it('takes the x-claude-code-session-id header of the real Claude Code 2.1 request', () => {
    expect(resolver.resolve(current.headers, undefined, current.body.metadata.user_id)).toEqual({
      key: 'd544df60-b65c-4c55-adca-69c77b39a74a',
      source: 'x-claude-code-session-id',
      explicit: false,
    });
  });

  it("without the header, reads the session from metadata.user_id: 2.1's JSON form and the older user_…_session_ form", () => {
    expect(resolver.resolve({}, undefined, current.body.metadata.user_id)).toEqual({
      key: 'd544df60-b65c-4c55-adca-69c77b39a74a',
      source: 'metadata.user_id',
      explicit: false,
    });
    const legacy =
      'user_2cf546d055acf0415abb611f4e33316e253ab00ec090bf85766ec288dccaf17e_account__session_0f9b3c1e-6a2d-4b8e-9c77-1d2e3f4a5b6c';
    expect(claudeCodeSessionId(legacy)).toBe('0f9b3c1e-6a2d-4b8e-9c77-1d2e3f4a5b6c');
    expect(resolver.resolve({}, 'pck', legacy)?.key).toBe('0f9b3c1e-6a2d-4b8e-9c77-1d2e3f4a5b6c');
  });

  it('ignores user ids that name no session (the older fixture sends a bare uuid), and honours the conventions switch', () => {
    expect(claudeCodeSessionId('d0d6f453-651b-4e4e-8cc0-abb654b0ebdd')).toBeUndefined();
    expect(claudeCodeSessionId('{"device_id":"x"}')).toBeUndefined();
    expect(claudeCodeSessionId('{not json')).toBeUndefined();
    expect(resolver.resolve({}, 'pck', 'alice')?.source).toBe('prompt_cache_key');
    expect(new ConversationKeyResolver([], false).resolve(current.headers, undefined, current.body.metadata.user_id)).toBeUndefined();
    // An explicit trace id still wins over both.
    expect(resolver.resolve({ ...current.headers, 'ah-trace-id': 't' }, undefined, current.body.metadata.user_id)?.key).toBe('t');
  });
});
