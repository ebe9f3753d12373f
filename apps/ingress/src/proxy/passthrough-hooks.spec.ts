import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../../../test/support/recordings';
import { foldedKey } from '@gw/wire';
import { openAiChatClientWire } from '@gw/protocol-openai-chat';
import { openAiResponsesClientWire } from '@gw/protocol-openai-responses';

const passthroughHooks = { 'openai-chat': openAiChatClientWire.passthrough, 'openai-responses': openAiResponsesClientWire.passthrough };

const recording = (name: string): Buffer => readFileSync(join(fixturesRoot(), 'upstream', name));

describe('pass-through inspection points', () => {
  it('chat: points at the usage chunk at the end, not at the `"usage":null` of every chunk', () => {
    const stream = Buffer.from(
      'data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n' +
        'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\n' +
        'data: [DONE]\n\n',
    );
    const point = passthroughHooks['openai-chat'].createInspector().inspectionPoint(stream);
    expect(stream.toString('utf8', 0, point)).toContain('"usage":null}\n\ndata: {"choices":[],');
    expect(passthroughHooks['openai-chat'].createInspector().inspectionPoint(Buffer.from('data: {"choices":[],"usage":null}\n\n'))).toBe(
      -1,
    );
  });

  it('chat: finds an in-stream error', () => {
    expect(passthroughHooks['openai-chat'].createInspector().inspectionPoint(Buffer.from('data: {"error":{"message":"boom"}}\n\n'))).toBe(
      7,
    );
  });

  it('responses: points at the terminal event of a recorded stream, none in the middle of it', () => {
    const stream = recording('openai-responses/stop.sse');
    const point = passthroughHooks['openai-responses'].createInspector().inspectionPoint(stream);
    expect(stream.toString('utf8', point).startsWith('response.completed')).toBe(true);
    expect(passthroughHooks['openai-responses'].createInspector().inspectionPoint(stream.subarray(0, 200))).toBe(-1);
  });
});

describe('pass-through request bodies', () => {
  const body = (json: string) => ({ value: JSON.parse(json) as Record<string, unknown>, bytes: Buffer.from(json) });
  const text = (out: Buffer | string): string => (typeof out === 'string' ? out : out.toString('utf8'));
  const chat = passthroughHooks['openai-chat'];

  it('chat: only the model changes; everything else goes as the client wrote it', () => {
    const json = '{"model": "gpt-4",\n "messages":[{"role":"user","content":"h\\u00e9"}], "temperature": 0.50}';
    expect(text(chat.upstreamBody(body(json), 'deepseek-chat', false))).toBe(json.replace('"gpt-4"', '"deepseek-chat"'));
  });

  it('chat streams: asks for usage, keeping any stream option the client set', () => {
    const plain = '{"model":"gpt-4","stream":true,"messages":[]}';
    expect(text(chat.upstreamBody(body(plain), 'm', true))).toBe(
      '{"model":"m","stream":true,"messages":[],"stream_options":{"include_usage":true}}',
    );
    const asked = '{"model":"gpt-4","stream":true,"stream_options":{"include_usage":true}}';
    expect(text(chat.upstreamBody(body(asked), 'm', true))).toBe(asked.replace('"gpt-4"', '"m"'));
    const other = '{"model":"gpt-4","stream":true,"stream_options":{"include_obfuscation":false}}';
    expect(JSON.parse(text(chat.upstreamBody(body(other), 'm', true)))).toEqual({
      model: 'm',
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
  });

  it('re-encodes a body whose model appears twice, so the upstream cannot read the unmapped one', () => {
    const twice = '{"model":"gpt-4","messages":[],"model":"gpt-4o"}';
    for (const hooks of [chat, passthroughHooks['openai-responses']]) {
      expect(JSON.parse(text(hooks.upstreamBody(body(twice), 'm', false)))).toEqual({ model: 'm', messages: [] });
    }
  });

  it('chat streams: a repeated key inside stream_options cannot hide the usage flag from the upstream', () => {
    const sneaky = '{"model":"gpt-4","stream":true,"stream_options":{"include_usage":false,"include_usage":true}}';
    expect(text(chat.upstreamBody(body(sneaky), 'm', true))).toBe('{"model":"m","stream":true,"stream_options":{"include_usage":true}}');
  });

  it('drops keys a case-insensitive upstream (Go encoding/json) would read as the model or the stream options', () => {
    // Go reads `MODEL`, `Model`, `ſtream_options` (U+017F) into the same fields when no exact key follows.
    const variants = [
      '{"model":"gpt-4","MODEL":"gpt-4o","messages":[]}',
      '{"Model":"gpt-4o","model":"gpt-4","messages":[]}',
      '{"model":"gpt-4","mod\u0065l":"x","MoDeL":"gpt-4o","messages":[]}',
    ];
    for (const json of variants) {
      for (const hooks of [chat, passthroughHooks['openai-responses']]) {
        const sent = JSON.parse(text(hooks.upstreamBody(body(json), 'm', false))) as Record<string, unknown>;
        expect(Object.keys(sent).filter((key) => key.toLowerCase() === 'model')).toEqual(['model']);
        expect(sent.model).toBe('m');
        expect(sent.messages).toEqual([]);
      }
    }
    const hidden = '{"model":"gpt-4","stream":true,"\u017ftream_options":{"include_usage":false},"Stream_Options":{}}';
    const raw = '{"model":"gpt-4","stream":true,"ſtream_options":{"include_usage":false},"Stream_Options":{}}';
    for (const json of [hidden, raw]) {
      expect(JSON.parse(text(chat.upstreamBody(body(json), 'm', true)))).toEqual({
        model: 'm',
        stream: true,
        stream_options: { include_usage: true },
      });
    }
  });

  it('drops case variants of `stream`, so the upstream answers in the shape the gateway reads (whole or events)', () => {
    for (const hooks of [chat, passthroughHooks['openai-responses']]) {
      for (const [json, stream] of [
        ['{"model":"gpt-4","STREAM":true,"messages":[]}', false],
        ['{"model":"gpt-4","stream":false,"Stream":true,"messages":[]}', false],
        ['{"model":"gpt-4","stream":true,"ſtream":false,"messages":[]}', true],
      ] as const) {
        const sent = JSON.parse(text(hooks.upstreamBody(body(json), 'm', stream))) as Record<string, unknown>;
        expect(Object.keys(sent).filter((key) => foldedKey(key) === 'stream')).toEqual(
          stream || json.includes('"stream"') ? ['stream'] : [],
        );
        expect(sent.stream ?? false).toBe(stream);
        expect(sent.model).toBe('m');
      }
    }
    // Without a variant, the body is still edited as bytes: `stream` goes as the client wrote it.
    expect(text(chat.upstreamBody(body('{"model":"gpt-4", "stream" :false}'), 'm', false))).toBe('{"model":"m", "stream" :false}');
  });

  it('responses: only the model changes', () => {
    const json = '{"input":"hi","model":"gpt-5","store":false}';
    expect(text(passthroughHooks['openai-responses'].upstreamBody(body(json), 'gpt-5-mini', true))).toBe(
      '{"input":"hi","model":"gpt-5-mini","store":false}',
    );
  });

  describe('fields the vendor rejects (preset quirks), removed in the same edit of the bytes', () => {
    it('chat (Groq): the model set and the rejected fields removed, every other byte as the client wrote it', () => {
      const json =
        '{"logprobs": true, "model": "gpt-4",\n "messages":[{"role":"user","content":"\\"logit_bias\\": {}"}],\n "logit_bias": {"50256": -100}, "top_logprobs": 2}';
      const out = chat.upstreamBody(body(json), 'llama-3.3-70b', false, ['logprobs', 'logit_bias', 'top_logprobs']);
      expect(Buffer.isBuffer(out)).toBe(true); // edited as bytes, not re-encoded
      expect(text(out)).toBe('{"model": "llama-3.3-70b",\n "messages":[{"role":"user","content":"\\"logit_bias\\": {}"}]}');
    });

    it("chat (Mistral): a stream gets no stream_options, neither the usage flag nor the client's own", () => {
      const plain = '{"model":"gpt-4","stream":true,"messages":[]}';
      expect(text(chat.upstreamBody(body(plain), 'm', true, ['stream_options']))).toBe('{"model":"m","stream":true,"messages":[]}');
      const asked = '{"model":"gpt-4","stream_options":{"include_usage":true},"stream":true,"messages":[]}';
      expect(text(chat.upstreamBody(body(asked), 'm', true, ['stream_options']))).toBe('{"model":"m","stream":true,"messages":[]}');
    });

    it('re-encodes without them when the bytes cannot be edited (a repeated model), as before', () => {
      const twice = '{"model":"gpt-4","logprobs":true,"messages":[],"model":"gpt-4o","stream_options":{}}';
      expect(JSON.parse(text(chat.upstreamBody(body(twice), 'm', true, ['logprobs', 'stream_options'])))).toEqual({
        model: 'm',
        messages: [],
      });
      expect(JSON.parse(text(passthroughHooks['openai-responses'].upstreamBody(body(twice), 'm', false, ['logprobs'])))).toEqual({
        model: 'm',
        messages: [],
        stream_options: {},
      });
    });

    it('a channel without quirks (nothing to remove) gets the same bytes as without the argument', () => {
      for (const [json, stream] of [
        ['{"model": "gpt-4", "logprobs": true, "stream": true}', true],
        ['{"model":"gpt-4","logit_bias":{"1":2}}', false],
      ] as const) {
        expect(text(chat.upstreamBody(body(json), 'm', stream, []))).toBe(text(chat.upstreamBody(body(json), 'm', stream)));
      }
    });
  });
});
