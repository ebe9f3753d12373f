/**
 * `POST /v1/embeddings` through the built gateway (embedded mode) with the official `openai` SDK's
 * `embeddings.create`: authenticated and model-mapped like inference, passed through to an `openai` channel
 * with the mapped model, its usage in the request log; refused with an OpenAI-envelope 400 for channel types
 * that cannot embed (ADR 0021), without calling them.
 *
 * No provider recording of an embeddings answer exists in the shared fixtures: the fake upstream's answer is
 * built here from OpenAI's documented shape (https://platform.openai.com/docs/api-reference/embeddings/object),
 * float or base64 (little-endian float32) as the request's `encoding_format` asks, as OpenAI does.
 */
import OpenAI from 'openai';
import { upstreamWires } from '@gw/protocol-registry';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream';
import { waitForRequestLogs } from './support/e2e-context';
import { EMBEDDING_UPSTREAM_MODEL, startMatrixGateway, type MatrixGateway } from './support/matrix-gateway';

const VECTORS = [
  [0.0023064255, -0.009327292, 0.015797347],
  [-0.012470211, 0.0042201057, 0.0031354],
];
const USAGE = { prompt_tokens: 8, total_tokens: 8 };

/** OpenAI's embeddings answer for the request, one vector per input, encoded as asked. */
function embeddingsAnswer(request: RecordedRequest): string {
  const body = request.body as { input: string | string[]; encoding_format?: string };
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const encode = (vector: number[]): number[] | string =>
    body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
  return JSON.stringify({
    object: 'list',
    data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: encode(VECTORS[index % VECTORS.length] ?? []) })),
    model: EMBEDDING_UPSTREAM_MODEL,
    usage: USAGE,
  });
}

describe('POST /v1/embeddings (openai SDK, built gateway)', () => {
  let upstream: FakeUpstream | undefined;
  let matrix: MatrixGateway | undefined;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstream.script((request) => (request.path === '/v1/embeddings' ? { json: embeddingsAnswer(request) } : undefined));
    matrix = await startMatrixGateway(upstream);
  }, 90_000);
  afterEach(() => upstream?.requests.splice(0));
  afterAll(async () => {
    await matrix?.gateway.stop();
    await upstream?.close();
  }, 30_000);

  const context = (): { upstream: FakeUpstream; matrix: MatrixGateway; client: OpenAI } => {
    if (!upstream || !matrix) throw new Error('e2e: the gateway did not start (see the beforeAll failure)');
    return { upstream, matrix, client: new OpenAI({ apiKey: matrix.apiKey, baseURL: matrix.gateway.baseUrl, maxRetries: 0 }) };
  };

  it('passes embeddings.create to the openai channel with the mapped model and returns its vectors', async () => {
    const { upstream: fake, matrix: started, client } = context();
    // The SDK asks for base64 and decodes it itself.
    const { data: answer, response } = await client.embeddings
      .create({ model: started.embeddingModel, input: ['first', 'second'] })
      .withResponse();

    expect(answer.data.map((item) => item.embedding.map((value) => Number(value.toFixed(6))))).toEqual(
      VECTORS.map((vector) => vector.map((value) => Number(Math.fround(value).toFixed(6)))),
    );
    expect(answer.usage).toEqual(USAGE);
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0];
    expect({ path: sent?.path, authorization: sent?.headers.authorization, body: sent?.body }).toEqual({
      path: '/v1/embeddings',
      authorization: `Bearer ${started.channelKey('openai')}`,
      body: { model: EMBEDDING_UPSTREAM_MODEL, input: ['first', 'second'], encoding_format: 'base64' },
    });

    const requestId = response.headers.get('ah-request-id') ?? '';
    const [row] = await waitForRequestLogs(started.gateway, { requestId }, 1);
    expect(row).toMatchObject({
      client_protocol: 'openai-embeddings',
      endpoint: '/v1/embeddings',
      stream: false,
      requested_model: started.embeddingModel,
      mapped_model: EMBEDDING_UPSTREAM_MODEL,
      channel_name: 'matrix-openai',
      status: 200,
      input_tokens: USAGE.prompt_tokens,
      output_tokens: 0,
      total_tokens: USAGE.total_tokens,
    });
  });

  it('returns float vectors as they came when the client asks for floats', async () => {
    const { matrix: started, client } = context();
    const answer = await client.embeddings.create({ model: started.embeddingModel, input: 'first', encoding_format: 'float' });
    expect(answer.data).toEqual([{ object: 'embedding', index: 0, embedding: VECTORS[0] }]);
  });

  it.each(upstreamWires.map((wire) => wire.channelType).filter((type) => type !== 'openai'))(
    'refuses a model served by a %s channel with an OpenAI-envelope 400, without calling the channel',
    async (type) => {
      const { upstream: fake, matrix: started, client } = context();
      const failure = await client.embeddings.create({ model: started.model(type), input: 'first' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
      const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
      expect({ status: error.status, code: error.code, param: error.param, type: error.type }).toEqual({
        status: 400,
        code: 'invalid_request',
        param: 'model',
        type: 'invalid_request_error',
      });
      expect(error.message).toContain(`type ${type}`);
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('authenticates like inference: an unknown key is a 401 in the OpenAI envelope', async () => {
    const { upstream: fake, matrix: started } = context();
    const stranger = new OpenAI({ apiKey: 'sk-nobody', baseURL: started.gateway.baseUrl, maxRetries: 0 });
    const failure = await stranger.embeddings.create({ model: started.embeddingModel, input: 'x' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('answers a malformed body with a 400 naming the field', async () => {
    const { matrix: started } = context();
    const response = await fetch(`${started.gateway.baseUrl}/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${started.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: started.embeddingModel, input: [] }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { error: expect.objectContaining({ code: 'invalid_request', param: 'input' }) as unknown },
    });
  });
});
