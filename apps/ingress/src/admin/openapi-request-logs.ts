/**
 * The request-log part of the admin OpenAPI document (`openapi.ts` spreads it in): schemas and paths of
 * `/request-logs` and `/conversations`, answered by the trace service, and a project's capture setting.
 */

const ref = (name: string): object => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object): object => ({ content: { 'application/json': { schema } } });
const error = (description: string): object => ({ description, ...json(ref('Error')) });
const readErrors = {
  '400': error('A parameter is invalid (details.field names it)'),
  '401': error('No or unknown admin token'),
};
const page = (item: string): object => ({
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: { type: 'array', items: ref(item) },
    next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page' },
  },
});
const query = (name: string, description: string, schema: object = { type: 'string' }): object => ({
  name,
  in: 'query',
  description,
  schema,
});
const pagination = [
  query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  query('cursor', "The previous page's next_cursor (opaque)"),
];
const read = (summary: string, responses: Record<string, object>, extra: object = {}): object => ({
  summary,
  description: "Role: any. A project-scoped token sees its project's requests only.",
  security: [{ adminToken: [] }],
  responses,
  ...extra,
});
const nullable = (type: string): object => ({ type: [type, 'null'] });

export const REQUEST_LOG_SCHEMAS = {
  RequestLog: {
    type: 'object',
    properties: {
      request_id: { type: 'string' },
      project: nullable('string'),
      api_key_id: nullable('string'),
      api_key_name: nullable('string'),
      conversation_key: nullable('string'),
      conversation_source: nullable('string'),
      thread_key: nullable('string'),
      client_protocol: { type: 'string' },
      endpoint: { type: 'string' },
      stream: { type: 'boolean' },
      requested_model: nullable('string'),
      mapped_model: nullable('string'),
      upstream_model: nullable('string'),
      channel: nullable('string'),
      status: { type: 'integer', description: 'What the client was told (499: the client left)' },
      error_code: nullable('string'),
      error_message: nullable('string'),
      started_at: { type: 'string', format: 'date-time' },
      latency_ms: { type: 'number' },
      ttft_ms: nullable('number'),
      tokens: {
        type: 'object',
        properties: {
          input: nullable('integer'),
          output: nullable('integer'),
          total: nullable('integer'),
          cached_input: nullable('integer'),
          reasoning: nullable('integer'),
        },
      },
      warnings: { type: 'array', items: { type: 'string' } },
      trace_id: { ...nullable('string'), description: "The conversation's trace (ADR 0014); null without a conversation" },
      trace_url: { ...nullable('string'), description: 'That trace in the viewer of otel.trace_view_url; null when none is configured' },
    },
  },
  RequestLogDetail: {
    allOf: [
      ref('RequestLog'),
      {
        type: 'object',
        properties: {
          capture: {
            type: ['object', 'null'],
            description: 'The bodies as the client sent and received them (redacted, capped), when capture was on',
            properties: {
              request_body: { type: 'string' },
              response_body: { type: 'string', description: 'Streamed: the SSE text the client got' },
              request_truncated: { type: 'boolean' },
              response_truncated: { type: 'boolean' },
            },
          },
        },
      },
    ],
  },
  Usage: {
    type: 'object',
    properties: {
      since: { type: 'string', format: 'date-time' },
      until: { type: 'string', format: 'date-time' },
      bucket_seconds: { type: 'integer' },
      group_by: { enum: ['model', 'channel'] },
      buckets: {
        type: 'array',
        description: 'Buckets with requests only, oldest first; aligned on multiples of bucket_seconds since the epoch',
        items: {
          type: 'object',
          properties: {
            start: { type: 'string', format: 'date-time' },
            name: { ...nullable('string'), description: 'Model or channel; null when the request had none' },
            requests: { type: 'integer' },
            errors: { type: 'integer', description: 'Answered 400 or above' },
            tokens: { type: 'integer' },
            mean_latency_ms: { type: 'integer' },
          },
        },
      },
    },
  },
  Conversation: {
    type: 'object',
    properties: {
      conversation_key: { type: 'string' },
      project: nullable('string'),
      requests: { type: 'integer' },
      first_at: { type: 'string', format: 'date-time' },
      last_at: { type: 'string', format: 'date-time' },
      tokens: { type: 'object', properties: { input: { type: 'integer' }, output: { type: 'integer' }, total: { type: 'integer' } } },
      trace_id: { type: 'string', description: 'The trace all its requests joined (ADR 0014)' },
      trace_url: { ...nullable('string'), description: 'That trace in the viewer of otel.trace_view_url; null when none is configured' },
    },
  },
};

export const REQUEST_LOG_PATHS = {
  '/request-logs': {
    get: read(
      'Request logs, newest first, filtered',
      { '200': json(page('RequestLog')), ...readErrors, '404': error('The project named is not found, or outside the token’s project') },
      {
        parameters: [
          query('project', 'Project name'),
          query('api_key', 'API key id', { type: 'string', format: 'uuid' }),
          query('model', 'Requested or mapped model'),
          query('requested_model', 'Model the client asked for'),
          query('mapped_model', 'Model after the profile'),
          query('channel', 'Channel name'),
          query('status', 'A code (429), a class (2xx, 4xx, 5xx) or "error" (400 and up)'),
          query('conversation', 'Conversation key'),
          query('since', 'Started at or after (ISO 8601)', { type: 'string', format: 'date-time' }),
          query('until', 'Started before (ISO 8601)', { type: 'string', format: 'date-time' }),
          ...pagination,
        ],
      },
    ),
  },
  '/request-logs/{request_id}': {
    parameters: [{ name: 'request_id', in: 'path', required: true, schema: { type: 'string' } }],
    get: read('One request, with its captured bodies', {
      '200': json(ref('RequestLogDetail')),
      '401': readErrors['401'],
      '404': error('Not found, or outside the token’s project'),
    }),
  },
  '/conversations': {
    get: read(
      'Conversations, most recently active first',
      { '200': json(page('Conversation')), ...readErrors, '404': error('The project named is not found, or outside the token’s project') },
      {
        parameters: [
          query('project', 'Project name'),
          query('since', 'Active at or after (ISO 8601)', { type: 'string', format: 'date-time' }),
          ...pagination,
        ],
      },
    ),
  },
  '/conversations/{conversation_key}/requests': {
    parameters: [{ name: 'conversation_key', in: 'path', required: true, schema: { type: 'string' } }],
    get: read(
      "One conversation's requests in turn order (oldest first)",
      { '200': json(page('RequestLog')), ...readErrors },
      {
        parameters: pagination,
      },
    ),
  },
  '/usage': {
    get: read(
      'Requests, errors, tokens and mean latency per time bucket and model (mapped, else requested) or channel',
      { '200': json(ref('Usage')), ...readErrors, '404': error('The project named is not found, or outside the token’s project') },
      {
        parameters: [
          query('project', 'Project name'),
          query('since', 'Started at or after (ISO 8601); default: 24 hours before until', { type: 'string', format: 'date-time' }),
          query('until', 'Started before (ISO 8601); default: now', { type: 'string', format: 'date-time' }),
          query('bucket_seconds', 'Bucket width, 60 to 2678400 (default 3600); at most 1500 buckets', { type: 'integer' }),
          query('group_by', '"model" (default) or "channel"', { enum: ['model', 'channel'] }),
        ],
      },
    ),
  },
  '/projects/{project}': {
    parameters: [{ name: 'project', in: 'path', required: true, schema: { type: 'string' }, description: 'Project name' }],
    patch: {
      summary: "Change a project's settings: prompt and response capture",
      description: 'Role: admin, owner (a project-scoped token: its own project).',
      security: [{ adminToken: [] }],
      requestBody: json({
        type: 'object',
        properties: {
          capture_bodies: {
            type: ['boolean', 'null'],
            description: 'true or false overrides server.trace.capture.enabled; null follows it',
          },
        },
      }),
      responses: {
        '200': json(ref('Project')),
        ...readErrors,
        '403': error("The token's role may not do this"),
        '404': error('Not found, or outside the token’s project'),
      },
    },
  },
};
