import type { RawExchange } from './raw-http';
import { deepArrayText, deepObjectText, FIELD_NAMES, isUnstorableText, nastyString, wrongValue } from './hostile-values';
import type { Prng } from './prng';

/**
 * The seeded generator of hostile requests. Each case is the bytes of one HTTP exchange plus what the
 * checks need to know about it: which endpoint it aims at, whether the gateway's inference lane serves it
 * (then an answer with an id must have a request-log row), and whether a 5xx is allowed (only when the
 * case asked the fake upstream to fail). Valid requests are mixed in, so answers are not all errors.
 */

export type FuzzEndpoint = 'chat' | 'responses' | 'models' | 'other';

export interface FuzzCase {
  /** Position in the run: the same seed gives the same case at the same position. */
  index: number;
  endpoint: FuzzEndpoint;
  /** What was done, e.g. `wrong-type messages[0].content` (figures are counted per family, the part before the first space). */
  label: string;
  exchange: RawExchange;
  /** POST to an inference path: the lane answers, and writes a request-log row. */
  logged: boolean;
  /** The fake upstream was asked to fail this one: a 5xx (502/504) is the right answer. */
  upstreamFails: boolean;
  /**
   * The body holds NUL or a lone surrogate, which the row may store (model, prompt_cache_key, warnings
   * quoting client strings): PostgreSQL refuses those as they are; the writer mends them (ADR 0005).
   */
  unstorableRow: boolean;
  /** CONNECT: node closes the connection when no one listens for that method; no answer, no row. */
  closesWithoutAnswer: boolean;
  /** Statuses this case must get, when there is only one right answer. */
  expect?: number[];
  /** A short printable excerpt of the input, for reports. */
  excerpt: string;
}

export interface CaseContext {
  apiKey: string;
  /** Client-facing model names: served by the Chat channel, by the Responses channel. */
  chatModel: string;
  responsesModel: string;
  /** Just over the gateway's body limit. */
  bodyLimitBytes: number;
}

/** Put in a message, it makes the fake upstream answer 500 (see `upstreamFailureRule`). */
export const UPSTREAM_FAIL_MARKER = 'FUZZ-UPSTREAM-FAIL';

const PATHS: Record<'chat' | 'responses', string> = { chat: '/v1/chat/completions', responses: '/v1/responses' };

type Body = Record<string, unknown>;

interface Draft {
  method: string;
  target: string;
  headers: [string, string | Buffer][];
  body: Buffer | undefined;
  framing: 'length' | 'chunked' | 'none';
  label: string;
  upstreamFails: boolean;
  unstorableRow: boolean;
  expect?: number[];
  exchange?: Partial<RawExchange>;
}

export class RequestCaseGenerator {
  private index = 0;

  constructor(
    private readonly rng: Prng,
    private readonly context: CaseContext,
    /** Off: no case puts NUL or a lone surrogate where the request-log row stores it. */
    private readonly unstorableRows: boolean | 'only',
  ) {}

  next(endpoint: FuzzEndpoint): FuzzCase {
    const index = this.index++;
    if (endpoint === 'models' || endpoint === 'other') return this.finish(index, endpoint, this.fastifyCase(endpoint));
    if (this.unstorableRows === 'only') return this.finish(index, endpoint, this.unstorableCase(endpoint));
    // A wrong-type or duplicate `model` may come out holding NUL or a lone surrogate; without unstorable
    // rows such a case is drawn again (one unstorable row fails its whole batch, taking others with it).
    for (;;) {
      const candidate = this.finish(index, endpoint, this.draft(endpoint));
      if (this.unstorableRows || !candidate.unstorableRow) return candidate;
    }
  }

  private draft(endpoint: 'chat' | 'responses'): Draft {
    return this.rng.weighted<() => Draft>([
      [14, () => this.validCase(endpoint)],
      [10, () => this.wrongTypeCase(endpoint)],
      [8, () => this.malformedJsonCase(endpoint)],
      [5, () => this.deepCase(endpoint)],
      [5, () => this.bigCase(endpoint)],
      [6, () => this.nastyTextCase(endpoint)],
      [4, () => this.invalidUtf8Case(endpoint)],
      [4, () => this.duplicateKeyCase(endpoint)],
      [4, () => this.prototypeKeyCase(endpoint)],
      [5, () => this.contentTypeCase(endpoint)],
      [6, () => this.authCase(endpoint)],
      [4, () => this.methodOrPathCase(endpoint)],
      [5, () => this.framingCase(endpoint)],
      [3, () => this.headerCase(endpoint)],
      [3, () => this.requestLineCase(endpoint)],
      [this.unstorableRows ? 3 : 0, () => this.unstorableCase(endpoint)],
    ])();
  }

  // --- bodies -------------------------------------------------------------------------------------

  private validBody(endpoint: 'chat' | 'responses', text = 'hello'): Body {
    const model = this.rng.pick([this.context.chatModel, this.context.responsesModel]);
    const stream = this.rng.chance(0.5);
    if (endpoint === 'chat') {
      const body: Body = { model, messages: [{ role: 'user', content: text }], stream };
      if (stream && this.rng.chance(0.5)) body.stream_options = { include_usage: true };
      if (this.rng.chance(0.3))
        body.tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
      return body;
    }
    const body: Body = {
      model,
      input: this.rng.chance(0.5) ? text : [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }],
      stream,
    };
    if (this.rng.chance(0.3)) body.instructions = 'be brief';
    if (this.rng.chance(0.3)) body.tools = [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} } }];
    return body;
  }

  private post(endpoint: 'chat' | 'responses', body: Buffer | string | undefined, label: string): Draft {
    return {
      method: 'POST',
      target: PATHS[endpoint],
      headers: [
        ['authorization', `Bearer ${this.context.apiKey}`],
        ['content-type', 'application/json'],
      ],
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
      framing: 'length',
      label,
      upstreamFails: false,
      unstorableRow: false,
    };
  }

  private validCase(endpoint: 'chat' | 'responses'): Draft {
    const fails = this.rng.chance(0.15);
    const body = this.validBody(endpoint, fails ? `please ${UPSTREAM_FAIL_MARKER}` : 'hello');
    const draft = this.post(endpoint, JSON.stringify(body), fails ? 'valid upstream-fails' : 'valid');
    draft.upstreamFails = fails;
    if (!fails) draft.expect = [200];
    if (this.rng.chance(0.3)) draft.framing = 'chunked';
    return draft;
  }

  /** A valid body with one field, at the top or nested, replaced by a value of another type or shape. */
  private wrongTypeCase(endpoint: 'chat' | 'responses'): Draft {
    const body = this.validBody(endpoint);
    const path = this.mutateSomewhere(body, () => wrongValue(this.rng));
    return this.post(endpoint, JSON.stringify(body), `wrong-type ${path}`);
  }

  /** Walks into the body at random and replaces (or adds) one member; returns its path. */
  private mutateSomewhere(body: Body, make: () => unknown): string {
    let node: unknown = body;
    let path = '';
    for (let depth = 0; depth < 4; depth++) {
      const container = node as Record<string, unknown> | unknown[];
      const keys = Array.isArray(container) ? container.map((_, index) => String(index)) : Object.keys(container);
      const addNew = keys.length === 0 || this.rng.chance(0.15);
      const key = addNew ? (Array.isArray(container) ? String(container.length) : this.rng.pick(FIELD_NAMES)) : this.rng.pick(keys);
      const child = (container as Record<string, unknown>)[key];
      // The last level always mutates: a walk that only descended would leave the body valid.
      const descend = depth < 3 && !addNew && typeof child === 'object' && child !== null && this.rng.chance(0.6);
      path += Array.isArray(container) ? `[${key}]` : `${path ? '.' : ''}${key}`;
      if (descend) {
        node = child;
        continue;
      }
      // Assignment, not defineProperty: `__proto__` as a plain key is the prototype-key case's job.
      if (key === '__proto__')
        Object.defineProperty(container, key, { value: make(), enumerable: true, writable: true, configurable: true });
      else (container as Record<string, unknown>)[key] = make();
      return path;
    }
    return path;
  }

  private malformedJsonCase(endpoint: 'chat' | 'responses'): Draft {
    const text = JSON.stringify(this.validBody(endpoint));
    const kind = this.rng.int(8);
    const bodies: (() => [string, string])[] = [
      () => ['truncated', text.slice(0, this.rng.int(text.length))],
      () => {
        const at = this.rng.int(text.length);
        return [
          'byte-flipped',
          text.slice(0, at) + this.rng.pick(['{', '}', '[', ']', '"', ',', ':', '\\', 'x', '\u0000']) + text.slice(at + 1),
        ];
      },
      () => [
        'not-json',
        this.rng.pick([
          '',
          ' ',
          'null',
          'hello',
          'NaN',
          '{',
          '}',
          '{"model":}',
          "{'model':'x'}",
          '{"a":1,}',
          '/*c*/{}',
          '{}{}',
          '\ufeff{}',
          '1e999999',
        ]),
      ],
      () => ['top-level-non-object', this.rng.pick(['[]', '[{}]', '"string"', '42', 'true', 'null', '-0'])],
      () => ['trailing-garbage', `${text}${this.rng.pick(['x', ',', '}', ' {}', '\u0000'])}`],
      () => ['random-bytes', this.rng.bytes(this.rng.between(1, 200)).toString('latin1')],
      () => ['empty-object', '{}'],
      () => ['control-char-in-string', text.replace('hello', `hel${String.fromCharCode(this.rng.int(32))}lo`)],
    ];
    const [name, body] = (bodies[kind] as () => [string, string])();
    // Random bytes as latin1 text re-encode as UTF-8; keep them raw instead.
    const bytes = name === 'random-bytes' ? Buffer.from(body, 'latin1') : Buffer.from(body, 'utf8');
    return this.post(endpoint, bytes, `malformed-json ${name}`);
  }

  /** Arrays or objects nested far past the 512-level bound, where codecs or JSON.stringify would recurse. */
  private deepCase(endpoint: 'chat' | 'responses'): Draft {
    const depth = this.rng.pick([513, 600, 5_000, 100_000]);
    const deep = this.rng.chance(0.7) ? deepArrayText(depth) : deepObjectText(Math.min(depth, 40_000));
    const body = this.validBody(endpoint);
    const path = this.mutateSomewhere(body, () => 'FUZZ_DEEP_VALUE');
    const draft = this.post(endpoint, JSON.stringify(body).replace('"FUZZ_DEEP_VALUE"', deep), `deep ${path} depth=${depth}`);
    draft.expect = [400];
    return draft;
  }

  private bigCase(endpoint: 'chat' | 'responses'): Draft {
    const kind = this.rng.int(4);
    const body = this.validBody(endpoint);
    if (kind === 0) {
      // Over the body limit: 413, by content-length or while reading a chunked body.
      const draft = this.post(endpoint, JSON.stringify({ ...body, padding: 'x'.repeat(this.context.bodyLimitBytes) }), 'big over-limit');
      draft.framing = this.rng.chance(0.5) ? 'chunked' : 'length';
      draft.expect = [413];
      return draft;
    }
    if (kind === 1) this.mutateSomewhere(body, () => 'y'.repeat(this.rng.pick([10_000, 100_000, 200_000])));
    if (kind === 2) this.mutateSomewhere(body, () => Array.from({ length: 5_000 }, (_, index) => ({ role: 'user', content: `m${index}` })));
    if (kind === 3) this.mutateSomewhere(body, () => Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`k${index}`, index])));
    return this.post(endpoint, JSON.stringify(body), `big within-limit kind=${kind}`);
  }

  /** Legal JSON text with NUL, lone surrogates and friends in the message text, tool names, instructions. */
  private nastyTextCase(endpoint: 'chat' | 'responses'): Draft {
    const text = nastyString(this.rng);
    const body = this.validBody(endpoint, text);
    if (this.rng.chance(0.3)) body.instructions = nastyString(this.rng);
    if (this.rng.chance(0.3))
      body.tools =
        endpoint === 'chat'
          ? [{ type: 'function', function: { name: nastyString(this.rng) } }]
          : [{ type: 'function', name: nastyString(this.rng) }];
    return this.post(endpoint, JSON.stringify(body), 'nasty-text content');
  }

  /** Bytes that are not UTF-8 inside a string value (the gateway reads them as U+FFFD). */
  private invalidUtf8Case(endpoint: 'chat' | 'responses'): Draft {
    const text = JSON.stringify(this.validBody(endpoint, 'FUZZ_BYTES'));
    const [before, after] = text.split('FUZZ_BYTES') as [string, string];
    const bad = Buffer.from(
      Array.from({ length: this.rng.between(1, 6) }, () => this.rng.pick([0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf5, 0xfe, 0xff])),
    );
    return this.post(endpoint, Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]), 'invalid-utf8 content');
  }

  private duplicateKeyCase(endpoint: 'chat' | 'responses'): Draft {
    const text = JSON.stringify(this.validBody(endpoint));
    const duplicate = this.rng.pick([
      `"model":${JSON.stringify(nastyString(this.rng))},`,
      '"model":"unknown-model",',
      '"stream":true,',
      '"stream":"yes",',
      '"MODEL":"x","Model":"y",',
      '"ſtream_options":{"include_usage":true},',
      '"messages":[],"input":[],',
    ]);
    const body = this.rng.chance(0.5) ? `{${duplicate}${text.slice(1)}` : `${text.slice(0, -1)},${duplicate.slice(0, -1)}}`;
    return this.post(endpoint, body, 'duplicate-key');
  }

  private prototypeKeyCase(endpoint: 'chat' | 'responses'): Draft {
    const text = JSON.stringify(this.validBody(endpoint));
    const key = this.rng.pick([
      '"__proto__":{"admin":true}',
      '"constructor":{"prototype":{"admin":true}}',
      '"__proto__":null',
      '"prototype":1',
    ]);
    const nested = this.rng.chance(0.5);
    const body = nested ? text.replace('"role":"user"', `"role":"user",${key}`) : `{${key},${text.slice(1)}`;
    const draft = this.post(endpoint, body, `prototype-key ${nested ? 'nested' : 'top'}`);
    if (key.startsWith('"__proto__"') && body.includes(key)) draft.expect = [400];
    return draft;
  }

  // --- HTTP around the body --------------------------------------------------------------------------

  private contentTypeCase(endpoint: 'chat' | 'responses'): Draft {
    const draft = this.post(endpoint, JSON.stringify(this.validBody(endpoint)), 'content-type');
    const value = this.rng.pick([
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'json',
      '',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/json, text/plain',
      undefined,
    ]);
    draft.headers = draft.headers.filter(([name]) => name !== 'content-type');
    if (value !== undefined) draft.headers.push(['content-type', value]);
    if (this.rng.chance(0.2)) draft.headers.push(['content-type', 'text/html']);
    draft.label = `content-type ${JSON.stringify(value)}`;
    return draft;
  }

  private authCase(endpoint: 'chat' | 'responses'): Draft {
    const draft = this.post(endpoint, JSON.stringify(this.validBody(endpoint)), 'auth');
    const key = this.context.apiKey;
    const variants: [string, [string, string | Buffer][], number[] | undefined][] = [
      ['missing', [], [401]],
      ['wrong-key', [['authorization', 'Bearer sk-not-a-key']], [401]],
      ['empty-bearer', [['authorization', 'Bearer ']], [401]],
      ['basic', [['authorization', `Basic ${Buffer.from(`x:${key}`).toString('base64')}`]], [401]],
      ['no-scheme', [['authorization', key]], undefined],
      ['lowercase-scheme', [['authorization', `bearer ${key}`]], undefined],
      ['x-api-key', [['x-api-key', key]], undefined],
      ['api-key', [['api-key', key]], undefined],
      [
        'two-authorizations',
        [
          ['authorization', 'Bearer sk-wrong'],
          ['authorization', `Bearer ${key}`],
        ],
        undefined,
      ],
      ['obs-text-key', [['authorization', Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xe9, 0xff, 0x80])]], [401]],
      ['huge-key', [['authorization', `Bearer ${'k'.repeat(8_000)}`]], [401]],
      ['key-with-spaces', [['authorization', `Bearer  ${key} `]], undefined],
    ];
    const [name, headers, expect] = this.rng.pick(variants);
    draft.headers = [...draft.headers.filter(([header]) => header !== 'authorization'), ...headers];
    draft.label = `auth ${name}`;
    draft.expect = expect;
    return draft;
  }

  private methodOrPathCase(endpoint: 'chat' | 'responses'): Draft {
    const draft = this.post(endpoint, JSON.stringify(this.validBody(endpoint)), 'method-path');
    if (this.rng.chance(0.5)) {
      draft.method = this.rng.pick([
        'GET',
        'PUT',
        'DELETE',
        'PATCH',
        'OPTIONS',
        'HEAD',
        'TRACE',
        'PROPFIND',
        'CONNECT',
        'FOO',
        'post',
        'P0ST',
      ]);
      draft.label = `method ${draft.method}`;
    } else {
      draft.target = this.rng.pick([
        `${PATHS[endpoint]}/`,
        `${PATHS[endpoint]}?x=1&y=%00`,
        `/${PATHS[endpoint]}`,
        PATHS[endpoint].toUpperCase(),
        `${PATHS[endpoint]}%2F`,
        `${PATHS[endpoint]}#frag`,
        `/v1/../v1${PATHS[endpoint].slice(3)}`,
        `http://example.com${PATHS[endpoint]}`,
        '*',
        `${PATHS[endpoint]}?${'q'.repeat(4_000)}`,
      ]);
      draft.label = `path ${draft.target.slice(0, 40)}`;
    }
    return draft;
  }

  /** Lying or broken framing: content-length against the body, chunked bodies cut, clients that stall or hang up. */
  private framingCase(endpoint: 'chat' | 'responses'): Draft {
    const text = JSON.stringify(this.validBody(endpoint));
    const draft = this.post(endpoint, text, 'framing');
    const kind = this.rng.pick([
      'length-longer-stall',
      'length-shorter',
      'length-huge',
      'length-negative',
      'length-not-a-number',
      'length-twice',
      'length-and-chunked',
      'chunked-cut-hang-up',
      'chunked-cut-stall',
      'chunked-bad-size',
      'length-cut-hang-up',
      'slow-drip',
      'expect-continue',
    ] as const);
    draft.label = `framing ${kind}`;
    const header = (value: string): void => void draft.headers.push(['content-length', value]);
    switch (kind) {
      case 'length-longer-stall':
        draft.framing = 'none';
        header(String(text.length + 50));
        draft.expect = [408];
        break;
      case 'length-shorter':
        draft.framing = 'none';
        header(String(Math.max(1, text.length - 10)));
        break;
      case 'length-huge':
        draft.framing = 'none';
        header(this.rng.pick(['99999999999999999999', '9007199254740993', String(this.context.bodyLimitBytes * 4)]));
        break;
      case 'length-negative':
        draft.framing = 'none';
        header('-1');
        break;
      case 'length-not-a-number':
        draft.framing = 'none';
        header(this.rng.pick(['abc', '1e3', '0x10', '', ' 12']));
        break;
      case 'length-twice':
        draft.framing = 'none';
        header(String(text.length));
        header(String(text.length + 1));
        break;
      case 'length-and-chunked':
        draft.framing = 'chunked';
        header(String(text.length));
        break;
      case 'chunked-cut-hang-up':
      case 'chunked-cut-stall': {
        const cut = this.rng.int(text.length);
        draft.framing = 'none';
        draft.headers.push(['transfer-encoding', 'chunked']);
        draft.body = Buffer.from(`${text.length.toString(16)}\r\n${text.slice(0, cut)}`);
        draft.exchange = { then: kind === 'chunked-cut-hang-up' ? 'hang-up' : 'answer' };
        if (kind === 'chunked-cut-stall') draft.expect = [408];
        break;
      }
      case 'chunked-bad-size':
        draft.framing = 'none';
        draft.headers.push(['transfer-encoding', 'chunked']);
        draft.body = Buffer.from(`${this.rng.pick(['zz', '-5', 'ffffffffffffffffff', ''])}\r\n${text}\r\n0\r\n\r\n`);
        break;
      case 'length-cut-hang-up':
        draft.body = Buffer.from(text.slice(0, this.rng.int(text.length)));
        draft.framing = 'none';
        header(String(text.length));
        draft.exchange = { then: 'hang-up' };
        break;
      case 'slow-drip':
        draft.exchange = { pauseMs: 20 };
        break;
      case 'expect-continue':
        draft.headers.push(['expect', '100-continue']);
        break;
    }
    return draft;
  }

  private headerCase(endpoint: 'chat' | 'responses'): Draft {
    const draft = this.post(endpoint, JSON.stringify(this.validBody(endpoint)), 'header');
    const kind = this.rng.int(5);
    if (kind === 0) {
      draft.headers.push(['x-big', 'h'.repeat(this.rng.pick([17_000, 70_000]))]);
      draft.label = 'header too-large';
      draft.expect = [431];
    } else if (kind === 1) {
      for (let index = 0; index < 1_500; index++) draft.headers.push([`x-h${index}`, 'v']);
      draft.label = 'header many';
    } else if (kind === 2) {
      // obs-text (bytes 0x80-0xFF) is legal in a header value; these reach the row as the conversation key.
      const name = this.rng.pick(['ah-trace-id', 'session-id', 'ah-thread-id', 'conversation-id']);
      draft.headers.push([name, Buffer.from([0x74, 0xe9, 0xff, 0x80, 0xc3, 0xa9])]);
      draft.label = `header obs-text ${name}`;
    } else if (kind === 3) {
      draft.headers.push(['ah-trace-id', this.rng.pick(['', ' ', 'x'.repeat(5_000), '../../etc', "'; DROP TABLE request_logs; --"])]);
      draft.label = 'header odd-trace-id';
    } else {
      draft.headers.push([this.rng.pick(['x y', 'x:y', '', 'x\u0000']), 'v']);
      draft.label = 'header bad-name';
    }
    return draft;
  }

  /** Request-line garbage: what only a raw socket sends. */
  private requestLineCase(endpoint: 'chat' | 'responses'): Draft {
    const body = Buffer.from(JSON.stringify(this.validBody(endpoint)));
    const line = this.rng.pick([
      `POST ${PATHS[endpoint]} HTTP/9.9`,
      `POST ${PATHS[endpoint]}`,
      `POST  ${PATHS[endpoint]} HTTP/1.1`,
      `POST ${PATHS[endpoint]} HTTP/1.1 extra`,
      `POST ${PATHS[endpoint]}\u0000 HTTP/1.1`,
      `POST ${PATHS[endpoint]} HTTP/1.0`,
      'PRI * HTTP/2.0',
      `\u0001\u0002${PATHS[endpoint]}`,
      `POST /${'a'.repeat(20_000)} HTTP/1.1`,
      '',
    ]);
    const draft = this.post(endpoint, body, `request-line ${JSON.stringify(line.slice(0, 30))}`);
    const random = this.rng.chance(0.3);
    draft.method = '';
    draft.target = random ? this.rng.bytes(this.rng.between(1, 300)).toString('latin1') : line;
    if (random) draft.label = 'request-line random-bytes';
    return draft;
  }

  /** NUL or a lone surrogate in the model name or prompt_cache_key: values the request-log row stores. */
  private unstorableCase(endpoint: 'chat' | 'responses'): Draft {
    const body = this.validBody(endpoint);
    const poison = this.rng.pick(['\u0000', 'gpt\u0000-5', '\ud800', 'model-\udfff', `${this.context.chatModel}\u0000`]);
    const where = endpoint === 'responses' && this.rng.chance(0.5) ? 'prompt_cache_key' : 'model';
    body[where] = poison;
    const draft = this.post(endpoint, JSON.stringify(body), `unstorable-row ${where}`);
    draft.unstorableRow = true;
    return draft;
  }

  // --- answers from Fastify: models, unknown routes --------------------------------------------------

  private fastifyCase(endpoint: 'models' | 'other'): Draft {
    const draft: Draft = {
      method: 'GET',
      target:
        endpoint === 'models'
          ? '/v1/models'
          : this.rng.pick(['/', '/v2/responses', '/v1/completions', '/v1/embeddings', '/healthz/x', '/%00', '/v1/models/x']),
      headers: [['authorization', `Bearer ${this.context.apiKey}`]],
      body: undefined,
      framing: 'length',
      label: `${endpoint}`,
      upstreamFails: false,
      unstorableRow: false,
    };
    const kind = this.rng.int(5);
    if (kind === 0) draft.headers = [];
    if (kind === 1) draft.headers = [['authorization', 'Bearer nope']];
    if (kind === 2) draft.method = this.rng.pick(['POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);
    if (kind === 3) {
      draft.method = 'POST';
      draft.headers.push(['content-type', 'application/json']);
      draft.body = Buffer.from(this.rng.pick(['{', deepArrayText(10_000), '{"__proto__":{}}', 'x'.repeat(1_000)]));
    }
    draft.label = `${endpoint} ${draft.method} ${['no-key', 'bad-key', 'method', 'body', 'plain'][kind]}`;
    if (endpoint === 'models' && draft.method === 'GET') draft.expect = kind === 0 || kind === 1 ? [401] : [200];
    return draft;
  }

  // --- bytes -------------------------------------------------------------------------------------

  private finish(index: number, endpoint: FuzzEndpoint, draft: Draft): FuzzCase {
    const head: Buffer[] = [];
    head.push(Buffer.from(draft.method ? `${draft.method} ${draft.target} HTTP/1.1\r\n` : `${draft.target}\r\n`, 'latin1'));
    head.push(Buffer.from('host: gateway\r\nconnection: close\r\n'));
    for (const [name, value] of draft.headers) head.push(Buffer.from(`${name}: `, 'latin1'), Buffer.from(value), Buffer.from('\r\n'));
    const body = draft.body;
    let parts: Buffer[];
    if (body !== undefined && draft.framing === 'length') {
      head.push(Buffer.from(`content-length: ${body.length}\r\n\r\n`));
      parts = [Buffer.concat([...head, body])];
    } else if (body !== undefined && draft.framing === 'chunked') {
      head.push(Buffer.from('transfer-encoding: chunked\r\n\r\n'));
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < body.length; offset += 64 * 1024) {
        const piece = body.subarray(offset, offset + 64 * 1024);
        chunks.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
      }
      parts = [Buffer.concat([...head, ...chunks, Buffer.from('0\r\n\r\n')])];
    } else {
      head.push(Buffer.from('\r\n'));
      parts = [Buffer.concat([...head, body ?? Buffer.alloc(0)])];
    }
    if (draft.exchange?.pauseMs) parts = splitInto(parts[0] as Buffer, 5);
    const exchange: RawExchange = { parts, then: draft.exchange?.then ?? 'answer', pauseMs: draft.exchange?.pauseMs };
    const path = draft.target.split('?')[0];
    const logged = draft.method === 'POST' && (path === PATHS.chat || path === PATHS.responses);
    const unstorableRow = draft.unstorableRow || (logged && body !== undefined && storesUnstorableText(body));
    return {
      index,
      endpoint,
      label: draft.label,
      exchange,
      logged,
      upstreamFails: draft.upstreamFails,
      unstorableRow,
      closesWithoutAnswer: draft.method === 'CONNECT',
      expect: draft.expect,
      excerpt: JSON.stringify((body ?? Buffer.alloc(0)).subarray(0, 160).toString('latin1')),
    };
  }
}

/**
 * The body holds NUL or a lone surrogate in any key or string. The row stores more client strings than
 * `model` and `prompt_cache_key`: warnings quote tool types and content types the client sent (the long
 * run lost whole batches to a lone surrogate in `input[0].type`), so any such string may reach it.
 * Iterative: the body may be nested 100,000 deep.
 */
function storesUnstorableText(body: Buffer): boolean {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return false;
  }
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      if (isUnstorableText(node)) return true;
    } else if (Array.isArray(node)) {
      pending.push(...(node as unknown[]));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, member] of Object.entries(node)) {
        if (isUnstorableText(key)) return true;
        pending.push(member);
      }
    }
  }
  return false;
}

function splitInto(bytes: Buffer, count: number): Buffer[] {
  const size = Math.ceil(bytes.length / count);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) parts.push(bytes.subarray(offset, offset + size));
  return parts;
}
