import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeClaudeCodeRun, runClaudeCode, type ClaudeCodeRun } from '../../support/claude-code-runner';
import type { RecordedRequest, UpstreamHandler } from '../../support/fake-upstream';
import { fixturesRoot } from '../../support/recordings';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import { anthropicClient, expectSignedForChannel } from './anthropic-sdk.scenarios';
import { uniqueMarker, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { MODELS, type GatewayUnderTest } from './gateway-under-test';
import { httpCall, parseSse, type HttpResult } from './http-client';

interface RecordedClaudeCodeRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** `messages-1` is a body only (tool round trip, `cache_control`); `messages-current` is Claude Code 2.1's headers and body. */
function claudeCodeRequest(file: 'messages-1' | 'messages-current'): RecordedClaudeCodeRequest {
  const recorded = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'claude-code', `${file}.request.json`), 'utf8')) as
    RecordedClaudeCodeRequest | Record<string, unknown>;
  return 'body' in recorded && 'headers' in recorded ? (recorded as RecordedClaudeCodeRequest) : { headers: {}, body: recorded };
}

/** Headers a client sends that are about its own connection, not the request: never replayed. */
const HOP_HEADERS = new Set(['connection', 'accept-encoding', 'content-length', 'host', 'x-api-key', 'authorization']);

function replayedHeaders(recorded: RecordedClaudeCodeRequest, gateway: GatewayUnderTest): Record<string, string> {
  const headers = Object.fromEntries(Object.entries(recorded.headers).filter(([name]) => !HOP_HEADERS.has(name)));
  return { ...headers, 'x-api-key': gateway.apiKey };
}

interface ChannelCase {
  title: string;
  channel: 'anthropic' | 'chat';
  clientModel: string;
  upstreamModel: string;
  upstreamPath: string;
}

const CHANNEL_CASES: ChannelCase[] = [
  {
    title: 'an anthropic channel',
    channel: 'anthropic',
    clientModel: MODELS.claudeCodeOnAnthropic,
    upstreamModel: MODELS.anthropicUpstream,
    upstreamPath: '/v1/messages',
  },
  {
    title: 'an openai channel',
    channel: 'chat',
    clientModel: MODELS.claudeCodeOnChat,
    upstreamModel: MODELS.chatUpstream,
    upstreamPath: '/v1/chat/completions',
  },
];

/** Names of the tools in an upstream request, whichever protocol the gateway spoke to it. */
function upstreamToolNames(body: unknown): string[] {
  const tools = (body as { tools?: Array<{ name?: string; function?: { name?: string } }> } | undefined)?.tools ?? [];
  return tools.map((tool) => tool.name ?? tool.function?.name ?? '');
}

/**
 * Claude Code's side requests (a title, a topic check) carry no tools: they get a plain answer. Its agent
 * request gets the tool round trip: first a `Bash` call, then — once the result is back — the answer.
 */
function claudeCodeBashRoundTrip(command: string, answerText: string): UpstreamHandler {
  const roundTrip = toolRoundTrip({ toolCall: { name: 'Bash', arguments: { command, description: 'Print the marker' } }, answerText });
  const plain = textAnswer(answerText);
  return (request: RecordedRequest) => (upstreamToolNames(request.body).includes('Bash') ? roundTrip(request) : plain(request));
}

/** Text of every tool result the upstream got, as JSON (Anthropic `tool_result` blocks or Chat `role: tool` messages). */
function toolResultsIn(body: unknown): string {
  const messages = (body as { messages?: Array<{ role: string; content: unknown }> }).messages ?? [];
  return JSON.stringify(
    messages.filter(
      (message) =>
        message.role === 'tool' ||
        (Array.isArray(message.content) && message.content.some((block) => (block as { type?: unknown }).type === 'tool_result')),
    ),
  );
}

function assertSucceeded(run: ClaudeCodeRun, gateway: GatewayUnderTest): void {
  if (run.exitCode !== 0 || run.timedOut || run.result === undefined || run.result.is_error) {
    throw new Error(`Claude Code failed:\n${describeClaudeCodeRun(run)}\n--- gateway output ---\n${gateway.output().slice(-10_000)}`);
  }
}

/**
 * Claude Code through the gateway: its real recorded requests replayed to both channel types, the count_tokens
 * endpoint, its conversation key, and the real CLI (`claude -p`) with a tool round trip.
 */
export function claudeCodeScenarios(context: E2eContextGetter): void {
  describe.each(CHANNEL_CASES)("Claude Code's recorded requests through $title", (channel) => {
    it('messages-1 (tool history, cache_control, temperature): an Anthropic message back, the request as the channel needs it', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('claude-code-recorded');
      upstream.script(textAnswer(answer));
      const recorded = claudeCodeRequest('messages-1');
      const body = { ...recorded.body, model: channel.clientModel };

      const result = await httpCall(`${gateway.origin}/v1/messages`, {
        body,
        headers: { 'x-api-key': gateway.apiKey, 'anthropic-version': '2023-06-01' },
      });

      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: answer }] });
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request.path).toBe(channel.upstreamPath);
      expectSignedForChannel(request, gateway, channel.channel);
      if (channel.channel === 'anthropic') {
        // Passed through: every byte as the client sent it but the mapped model.
        expect(request.rawBody).toBe(JSON.stringify({ ...body, model: channel.upstreamModel }));
      } else {
        const chat = request.body as { model: string; messages: Array<{ role: string; tool_call_id?: string }>; tools: unknown[] };
        expect(chat.model).toBe(channel.upstreamModel);
        expect(upstreamToolNames(chat)).toEqual((recorded.body.tools as Array<{ name: string }>).map((tool) => tool.name));
        expect(chat.messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id)).toContain(
          'call_0_641f4502-584e-426e-a6a0-f066f7e7babe',
        );
        // cache_control has no Chat equivalent: dropped, and said so.
        expect(result.headers.get('ah-warnings')).toMatch(/cache_control/);
      }
    });

    it('messages-current (Claude Code 2.1: system-role messages, adaptive thinking, effort, context_management, betas) streams back, grouped by its session', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('claude-code-current');
      upstream.script(textAnswer(answer));
      const recorded = claudeCodeRequest('messages-current');
      const body = { ...recorded.body, model: channel.clientModel };

      const result = await httpCall(`${gateway.origin}/v1/messages?beta=true`, { body, headers: replayedHeaders(recorded, gateway) });

      expect(result.status).toBe(200);
      const events = parseSse(result.text);
      expect(events.map((event) => event.event).slice(-2)).toEqual(['message_delta', 'message_stop']);
      const text = events
        .map((event) => JSON.parse(event.data) as { type: string; delta?: { type: string; text?: string } })
        .filter((data) => data.delta?.type === 'text_delta')
        .map((data) => data.delta?.text)
        .join('');
      expect(text).toBe(answer);
      const request = upstream.requests[0]!;
      expectSignedForChannel(request, gateway, channel.channel);
      if (channel.channel === 'anthropic') {
        // Untouched: the body but the model, and the API version and beta list as Claude Code sent them.
        expect(request.rawBody).toBe(JSON.stringify({ ...body, model: channel.upstreamModel }));
        expect(request.headers['anthropic-beta']).toBe(recorded.headers['anthropic-beta']);
        expect(request.headers['anthropic-version']).toBe(recorded.headers['anthropic-version']);
        expect(result.headers.get('ah-warnings')).toBeNull();
      } else {
        const chat = request.body as { messages: Array<{ role: string; content: unknown }>; reasoning_effort?: string };
        expect(request.headers['anthropic-beta']).toBeUndefined();
        // The system-role messages inside `messages` stay system messages where they were.
        expect(chat.messages.filter((message) => message.role === 'system').length).toBeGreaterThan(0);
        expect(chat.reasoning_effort).toBe('high');
        // What Chat cannot take (context_management edits, cache_control) is dropped with a warning.
        expect(result.headers.get('ah-warnings')).toMatch(/context_management/);
      }
      const session = recorded.headers['x-claude-code-session-id']!;
      const rows = await waitForRequestLogs(gateway, { requestId: result.headers.get('ah-request-id')! }, 1);
      expect(rows[0]).toMatchObject({
        conversation_key: session,
        conversation_source: 'x-claude-code-session-id',
        client_protocol: 'anthropic-messages',
        stream: true,
        mapped_model: channel.upstreamModel,
        status: 200,
      });
    });
  });

  describe('Claude Code conversations without the session header', () => {
    it('group by the session_id inside metadata.user_id', async () => {
      const { gateway, upstream } = context();
      upstream.script(textAnswer('ok'));
      const recorded = claudeCodeRequest('messages-current');
      const headers = replayedHeaders(recorded, gateway);
      delete headers['x-claude-code-session-id'];
      const results: HttpResult[] = [];
      for (let turn = 0; turn < 2; turn++) {
        results.push(await httpCall(`${gateway.origin}/v1/messages`, { body: { ...recorded.body, model: MODELS.sdkAnthropic }, headers }));
      }
      expect(results.map((result) => result.status)).toEqual([200, 200]);
      const session = (JSON.parse((recorded.body.metadata as { user_id: string }).user_id) as { session_id: string }).session_id;
      expect(results.map((result) => result.headers.get('ah-trace-id'))).toEqual([session, session]);
      const rows = await waitForRequestLogs(gateway, { requestId: results[1]!.headers.get('ah-request-id')! }, 1);
      expect(rows[0]).toMatchObject({ conversation_key: session, conversation_source: 'metadata.user_id' });
    });
  });

  describe('POST /v1/messages/count_tokens', () => {
    const question = 'How many tokens is this sentence?';
    const countBody = (model: string) => ({ model, messages: [{ role: 'user' as const, content: question }] });

    it("an anthropic channel counts: the client's body goes to its count_tokens with the mapped model", async () => {
      const { gateway, upstream } = context();
      // Anthropic's documented answer shape; no recording of this endpoint exists.
      upstream.enqueue({ json: '{"input_tokens":2095}' });

      const { data: count, response } = await anthropicClient(gateway).messages.countTokens(countBody(MODELS.sdkAnthropic)).withResponse();

      expect(count).toEqual({ input_tokens: 2095 });
      expect(response.headers.get('ah-token-count')).toBe('upstream');
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request.path).toBe('/v1/messages/count_tokens');
      expectSignedForChannel(request, gateway, 'anthropic');
      expect(request.body).toEqual({ ...countBody(MODELS.anthropicUpstream) });
    });

    it('another channel type: the gateway estimates, and calls no upstream', async () => {
      const { gateway, upstream } = context();
      const client = anthropicClient(gateway);
      const { data: small, response } = await client.messages.countTokens(countBody(MODELS.sdkAnthropicOnChat)).withResponse();
      expect(response.headers.get('ah-token-count')).toBe('estimate');
      // Four characters a token, plus the message's framing.
      expect(small.input_tokens).toBe(Math.ceil(question.length / 4) + 4);
      const recorded = claudeCodeRequest('messages-1');
      const { data: large } = await client.messages
        .countTokens({
          model: MODELS.sdkAnthropicOnChat,
          messages: recorded.body.messages as never,
          system: recorded.body.system as never,
          tools: recorded.body.tools as never,
        })
        .withResponse();
      // Claude Code's 68 KB request: in the tens of thousands, not single digits or the byte count.
      expect(large.input_tokens).toBeGreaterThan(5_000);
      expect(large.input_tokens).toBeLessThan(JSON.stringify(recorded.body).length / 2);
      expect(upstream.requests).toHaveLength(0);
    });

    it('authenticated and routed like inference: 401 for an unknown key, 404 for an unmapped model', async () => {
      const { gateway, upstream } = context();
      await expect(anthropicClient(gateway, 'sk-unknown').messages.countTokens(countBody(MODELS.sdkAnthropic))).rejects.toMatchObject({
        status: 401,
      });
      await expect(anthropicClient(gateway).messages.countTokens(countBody('claude-nobody-maps'))).rejects.toMatchObject({ status: 404 });
      expect(upstream.requests).toHaveLength(0);
    });
  });

  describe.each(CHANNEL_CASES)('the Claude Code CLI (claude -p) through $title', (channel) => {
    it('runs Bash for the tool call and answers with the result; every request of the session in one conversation', async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('claude-code-cli');
      const answer = `The command printed ${marker}.`;
      upstream.script(claudeCodeBashRoundTrip(`echo ${marker}`, answer));

      const run = await runClaudeCode({
        baseUrl: gateway.origin,
        apiKey: gateway.apiKey,
        // Both ways users give Claude Code a gateway key: x-api-key, and a Bearer token.
        asAuthToken: channel.channel === 'chat',
        prompt: 'Run echo with the marker and tell me what it printed.',
        model: channel.clientModel,
        allowedTools: ['Bash'],
      });

      assertSucceeded(run, gateway);
      expect(run.result?.result).toBe(answer);
      const agentRequests = upstream.requests.filter((request) => upstreamToolNames(request.body).includes('Bash'));
      expect(agentRequests.length).toBeGreaterThanOrEqual(2);
      for (const request of upstream.requests) {
        expect(request.path).toBe(channel.upstreamPath);
        expectSignedForChannel(request, gateway, channel.channel);
      }
      // Claude Code ran the command and sent its output back as the call's result.
      expect(toolResultsIn(agentRequests.at(-1)!.body)).toContain(marker);
      const session = run.result!.session_id;
      const rows = await waitForRequestLogs(gateway, { conversationKey: session }, agentRequests.length);
      // A side request Claude Code still had open when it exited is a 499 row of the same session.
      expect(rows.filter((row) => row.status === 200).length).toBeGreaterThanOrEqual(agentRequests.length);
      expect(rows.every((row) => row.client_protocol === 'anthropic-messages' && row.mapped_model === channel.upstreamModel)).toBe(true);
    });
  });
}
