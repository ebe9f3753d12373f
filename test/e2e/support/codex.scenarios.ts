import { assertCodexSucceeded, expectCodexRanEcho } from '../../support/codex-assertions';
import { runCodex } from '../../support/codex-runner';
import { codexExecCommand } from '../../support/templated-replay';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import {
  RECORDED_CHAT_CALL_ID,
  RECORDED_USAGE,
  uniqueMarker,
  usageColumns,
  waitForRequestLogs,
  type E2eContextGetter,
} from './e2e-context';
import { MODELS } from './gateway-under-test';

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

interface ChatRequestBody {
  model: string;
  stream: boolean;
  stream_options?: { include_usage?: boolean };
  messages: ChatMessage[];
  tools?: Array<{ type: string; function?: { name: string } }>;
}

/**
 * The real Codex CLI with the config users paste (wire_api = responses, base_url = the gateway): it
 * speaks Responses, the profile maps `gpt-5` to `deepseek-chat` on a Chat Completions channel.
 */
export function codexScenarios(context: E2eContextGetter): void {
  describe('Codex CLI through a Chat Completions channel', () => {
    it('answers a plain prompt: mapped Chat request upstream, the replayed answer in Codex, one request-log row', async () => {
      const { gateway, upstream } = context();
      const answer = `The gateway relayed ${uniqueMarker('codex-plain')}.`;
      upstream.script(textAnswer(answer));

      const run = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'Say the marker.' });

      assertCodexSucceeded(run, gateway.output());
      expect(run.lastMessage).toBe(answer);
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', completed: true });
      expect(request.headers['authorization']).toBe(`Bearer ${gateway.channelKeys.chat}`);
      const body = request.body as ChatRequestBody;
      expect(body.model).toBe(MODELS.chatUpstream);
      expect(body.stream).toBe(true);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(JSON.stringify(body.messages)).toContain('Say the marker.');
      const toolNames = (body.tools ?? []).map((tool) => tool.function?.name);
      expect(body.tools?.every((tool) => tool.type === 'function')).toBe(true);
      // Codex's `namespace` tool, flattened; its `web_search` built-in dropped.
      expect(toolNames).toEqual(
        expect.arrayContaining([
          'exec_command',
          'multi_agent_v1__spawn_agent',
          'multi_agent_v1__wait_agent',
          'multi_agent_v1__close_agent',
        ]),
      );
      expect(toolNames.filter((name) => name === undefined || /web_search/.test(name))).toEqual([]);
      expect(request.rawBody).not.toContain('"web_search"');

      expect(run.threadId).toMatch(/^[0-9a-f-]{36}$/);
      const rows = await waitForRequestLogs(gateway, { conversationKey: run.threadId }, 1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        conversation_key: run.threadId,
        client_protocol: 'openai-responses',
        endpoint: '/v1/responses',
        stream: true,
        requested_model: MODELS.codex,
        mapped_model: MODELS.chatUpstream,
        channel_name: gateway.channelNames.chat,
        status: 200,
        error_code: null,
        ...usageColumns(RECORDED_USAGE.chatTextStream),
      });
      expect(rows[0]?.warnings.join(' ')).toContain('web_search');
    });

    it('runs exec_command for a templated Chat tool call and sends the output back as a role:tool message (tool round trip)', async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('codex-tool');
      const answer = `The command printed ${marker}.`;
      upstream.script(toolRoundTrip({ toolCall: codexExecCommand(`echo ${marker}`), answerText: answer }));

      const run = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'Run echo with the marker.' });

      assertCodexSucceeded(run, gateway.output());
      expectCodexRanEcho(run, marker, answer);

      expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
      const followUp = upstream.requests[1]?.body as ChatRequestBody;
      expect(followUp.model).toBe(MODELS.chatUpstream);
      const assistant = followUp.messages.find((message) => message.role === 'assistant' && message.tool_calls !== undefined);
      expect(assistant?.tool_calls).toEqual([
        {
          id: RECORDED_CHAT_CALL_ID,
          type: 'function',
          function: { name: 'exec_command', arguments: JSON.stringify({ cmd: `echo ${marker}` }) },
        },
      ]);
      const toolMessages = followUp.messages.filter((message) => message.role === 'tool');
      expect(toolMessages).toHaveLength(1);
      expect(toolMessages[0]?.tool_call_id).toBe(RECORDED_CHAT_CALL_ID);
      expect(JSON.stringify(toolMessages[0]?.content)).toContain(marker);

      const rows = await waitForRequestLogs(gateway, { conversationKey: run.threadId }, 2);
      expect(rows.map((row) => ({ status: row.status, mapped: row.mapped_model, total: row.total_tokens }))).toEqual([
        { status: 200, mapped: MODELS.chatUpstream, total: RECORDED_USAGE.chatToolStream.total },
        { status: 200, mapped: MODELS.chatUpstream, total: RECORDED_USAGE.chatTextStream.total },
      ]);
    });

    it("with a newer model name (tools in an additional_tools item): the upstream gets them as functions, and Codex runs the model's code-mode exec call", async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('codex-exec');
      const answer = `Code mode printed ${marker}.`;
      // `exec` is a freeform tool: its input is JavaScript, sent to a Chat upstream as {"input": ...}.
      const code = `const result = await tools.exec_command({ cmd: "echo ${marker}" });\ntext(result);`;
      upstream.script(toolRoundTrip({ toolCall: { name: 'functions__exec', arguments: { input: code } }, answerText: answer }));

      const run = await runCodex({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        prompt: 'Run echo.',
        model: MODELS.codexAdditionalTools,
      });

      assertCodexSucceeded(run, gateway.output());
      expect(run.lastMessage).toBe(answer);
      expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
      const first = upstream.requests[0]?.body as ChatRequestBody;
      const toolNames = (first.tools ?? []).map((tool) => tool.function?.name);
      expect(toolNames).toEqual(expect.arrayContaining(['functions__exec', 'functions__wait']));
      expect(JSON.stringify(first.messages)).not.toContain('additional_tools');
      // Codex ran the code and sent its output back as the exec call's result.
      const followUp = upstream.requests[1]?.body as ChatRequestBody;
      const assistant = followUp.messages.find((message) => message.role === 'assistant' && message.tool_calls !== undefined);
      expect(assistant?.tool_calls).toEqual([
        { id: RECORDED_CHAT_CALL_ID, type: 'function', function: { name: 'functions__exec', arguments: JSON.stringify({ input: code }) } },
      ]);
      const toolMessage = followUp.messages.find((message) => message.role === 'tool');
      expect(toolMessage?.tool_call_id).toBe(RECORDED_CHAT_CALL_ID);
      expect(JSON.stringify(toolMessage?.content)).toContain(marker);
    });

    it('keeps a resumed thread (`exec resume`) in the same conversation, with the first turn in its history', async () => {
      const { gateway, upstream } = context();
      const firstAnswer = `First turn ${uniqueMarker('codex-turn-1')}.`;
      upstream.script(textAnswer(firstAnswer));
      const first = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'First question.' });
      assertCodexSucceeded(first, gateway.output());

      const secondAnswer = `Second turn ${uniqueMarker('codex-turn-2')}.`;
      upstream.script(textAnswer(secondAnswer));
      const second = await runCodex({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        prompt: 'Second question.',
        codexHome: first.codexHome,
        workdir: first.workdir,
        resumeThreadId: first.threadId,
      });

      assertCodexSucceeded(second, gateway.output());
      expect(second.lastMessage).toBe(secondAnswer);
      expect(second.threadId).toBe(first.threadId);
      const history = JSON.stringify((upstream.requests[1]?.body as ChatRequestBody).messages);
      expect(history).toContain('First question.');
      expect(history).toContain(firstAnswer);
      expect(history).toContain('Second question.');
      const rows = await waitForRequestLogs(gateway, { conversationKey: first.threadId }, 2);
      expect(rows.map((row) => row.status)).toEqual([200, 200]);
    });
  });
}
