/**
 * The admin API's OpenAPI 3.1 document, written by hand (no generator dependency). A unit test checks that
 * it lists exactly the routes the admin controllers serve, so the two cannot drift apart.
 */
import { CHANNEL_TYPES } from '@gw/contracts';
import { PRESET_IDS } from '@gw/providers';
import { REQUEST_LOG_PATHS, REQUEST_LOG_SCHEMAS } from './openapi-request-logs';

const ref = (name: string): object => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object): object => ({ content: { 'application/json': { schema } } });
const errors = (...statuses: number[]): Record<string, object> =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_TEXT[status] ?? 'Error', ...json(ref('Error')) }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (the message names the field or rule)',
  401: 'No or unknown admin token',
  403: "The token's role may not do this",
  404: 'Not found, or outside the token’s project',
  409: 'Conflicts with the current state',
};
const list = (item: string): object => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(item) } },
});
const keyId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const profileName = { name: 'profile', in: 'path', required: true, schema: { type: 'string' } };
const channelRef = { name: 'channel', in: 'path', required: true, description: "The channel's id or name", schema: { type: 'string' } };
const channelFields = {
  name: { type: 'string', description: 'Unique; letters, digits, ".", "_", "-" (1 to 64)' },
  type: { enum: [...CHANNEL_TYPES], description: 'Absent with a preset: openai' },
  preset: {
    enum: [...PRESET_IDS, null],
    description: 'An OpenAI-compatible vendor (type openai only): default base_url, auth header, path, quirks. null removes it',
  },
  base_url: {
    type: 'string',
    format: 'uri',
    description:
      "http(s), without user or password; up to the version segment (https://api.anthropic.com/v1), the protocol's path (/chat/completions, /responses, /messages) is appended; absent with a preset: the preset's default",
  },
  api_key: { type: 'string', writeOnly: true, description: 'Upstream credential; stored encrypted, never shown again' },
  models: { type: 'array', minItems: 1, items: { type: 'string' } },
  model_map: {
    type: ['object', 'null'],
    additionalProperties: { type: 'string' },
    description: "Model (one of models) → the name this channel's upstream wants, e.g. an Azure deployment; replaced whole",
  },
  headers: {
    type: ['object', 'null'],
    writeOnly: true,
    additionalProperties: { type: 'string' },
    description:
      'Extra request headers (e.g. OpenRouter HTTP-Referer, X-Title); stored encrypted, values never shown again; replaced whole',
  },
  enabled: { type: 'boolean', default: true },
  timeout_ms: { type: ['integer', 'null'], minimum: 1, description: 'Time to response headers; null: upstream.header_timeout_ms' },
};

const op = (summary: string, role: string, responses: Record<string, object>, extra: object = {}): object => ({
  summary,
  description: `Role: ${role}.`,
  security: [{ adminToken: [] }],
  responses,
  ...extra,
});

const userId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const roleBody = { enum: ['viewer', 'developer', 'admin', 'owner'] };

/** Users, their roles per project, login sessions, token revocation and one project (ADR 0010). */
const USER_PATHS = {
  '/projects/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Project id or name' }],
    get: op('One project', 'any', { '200': json(ref('Project')), ...errors(401, 404) }),
  },
  '/tokens/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    delete: op(
      'Revoke an admin token or login session (the next call with it is a 401)',
      'admin, owner; not above its own role; not the last owner credential unless admin.bootstrap_token is set',
      { '204': { description: 'Revoked' }, ...errors(401, 403, 404, 409) },
    ),
  },
  '/users': {
    get: op('List users (a project-scoped caller: those with a role in its project)', 'any', {
      '200': json(list('User')),
      ...errors(401),
    }),
    post: op(
      'Create a user with a password and one role',
      'admin, owner; never above its own role',
      { '201': json(ref('User')), ...errors(400, 401, 403, 404, 409) },
      {
        requestBody: json({
          type: 'object',
          required: ['name', 'password', 'role'],
          properties: {
            name: { type: 'string', description: 'Login name (e-mail or handle)' },
            password: { type: 'string', minLength: 12, writeOnly: true },
            role: roleBody,
            project: { type: ['string', 'null'], description: "Project name; null: gateway-wide; absent: the caller's project" },
          },
        }),
      },
    ),
  },
  '/users/{id}': {
    parameters: [userId],
    get: op('One user', 'any', { '200': json(ref('User')), ...errors(401, 404) }),
    delete: op('Delete a user and revoke its sessions', 'admin, owner over every role of the user', {
      '204': { description: 'Deleted' },
      ...errors(401, 403, 404, 409),
    }),
  },
  '/users/{id}/roles': {
    parameters: [userId],
    put: op(
      "Set or replace the user's role in one project (null: gateway-wide)",
      'admin, owner; never above its own role',
      { '200': json(ref('User')), ...errors(400, 401, 403, 404, 409) },
      {
        requestBody: json({
          type: 'object',
          required: ['project', 'role'],
          properties: { project: { type: ['string', 'null'] }, role: roleBody },
        }),
      },
    ),
  },
  '/users/{id}/roles/{project}': {
    parameters: [
      userId,
      {
        name: 'project',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: 'Project name, or _gateway for the gateway-wide role',
      },
    ],
    delete: op("Remove the user's role in one project", 'admin, owner; never above its own role', {
      '204': { description: 'Removed' },
      ...errors(401, 403, 404, 409),
    }),
  },
  '/users/{id}/password': {
    parameters: [userId],
    put: op(
      "Set the user's password (its other sessions are revoked)",
      'the user itself, or admin, owner over every role of the user',
      { '204': { description: 'Changed' }, ...errors(400, 401, 403, 404) },
      {
        requestBody: json({
          type: 'object',
          required: ['password'],
          properties: { password: { type: 'string', minLength: 12, writeOnly: true } },
        }),
      },
    ),
  },
  '/login': {
    post: {
      summary: 'Log in with name and password: a session token (an admin token with an expiry)',
      security: [],
      requestBody: json({
        type: 'object',
        required: ['name', 'password'],
        properties: {
          name: { type: 'string' },
          password: { type: 'string', writeOnly: true },
          project: { type: 'string', description: 'Absent: the gateway-wide role, or the only one' },
        },
      }),
      responses: { '200': json(ref('Session')), ...errors(400, 401, 403) },
    },
  },
  '/session': {
    get: op('The caller: token name, role and project scope', 'any', {
      '200': json({
        type: 'object',
        required: ['token_id', 'token_name', 'role', 'project_id', 'user_id'],
        properties: {
          token_id: { type: 'string', format: 'uuid' },
          token_name: { type: 'string' },
          role: roleBody,
          project_id: { type: ['string', 'null'], description: 'null: every project' },
          user_id: { type: ['string', 'null'], description: 'The user of a login session; null: a plain admin token' },
        },
      }),
      ...errors(401),
    }),
  },
  '/logout': {
    post: op('Revoke the caller’s own session', 'any (login sessions only)', { '204': { description: 'Logged out' }, ...errors(400, 401) }),
  },
};

export const ADMIN_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'AxonHub gateway admin API', version: '1' },
  servers: [{ url: '/admin/v1' }],
  components: {
    securitySchemes: {
      adminToken: { type: 'http', scheme: 'bearer', description: 'An admin token, a login session (POST /login) or admin.bootstrap_token' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                enum: ['unauthorized', 'forbidden', 'not_found', 'invalid_request', 'conflict', 'internal_error', 'service_unavailable'],
              },
              message: { type: 'string' },
              details: { type: 'object' },
            },
          },
        },
      },
      User: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          roles: {
            type: 'array',
            items: { type: 'object', properties: { project: { type: ['string', 'null'] }, role: { type: 'string' } } },
          },
          created_at: { type: 'string' },
        },
      },
      Session: {
        type: 'object',
        properties: {
          token: { type: 'string', description: 'Send as Authorization: Bearer; in this answer only' },
          expires_at: { type: 'string', format: 'date-time' },
          role: { type: 'string' },
          project: { type: ['string', 'null'] },
        },
      },
      Project: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          capture_bodies: { type: ['boolean', 'null'], description: 'Prompt and response capture: overrides the config; null follows it' },
          created_at: { type: 'string' },
        },
      },
      AdminToken: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          role: { enum: ['viewer', 'developer', 'admin', 'owner'] },
          project: { type: ['string', 'null'] },
          prefix: { type: 'string' },
          state: { enum: ['active', 'revoked', 'expired'] },
          expires_at: { type: ['string', 'null'], description: 'Login sessions only' },
          user_id: { type: ['string', 'null'], description: 'The user of a login session' },
          created_at: { type: 'string' },
        },
      },
      ApiKey: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          prefix: { type: 'string', description: 'First characters of the secret' },
          project: { type: 'string' },
          active_profile: { type: ['string', 'null'] },
          state: { enum: ['active', 'revoked', 'expired'] },
          expires_at: { type: ['string', 'null'], format: 'date-time' },
          allowed_models: { type: ['array', 'null'], items: { type: 'string' } },
          limits: ref('Limits'),
          created_at: { type: 'string' },
        },
      },
      Limits: {
        type: ['object', 'null'],
        description: 'Stored; enforced by later work',
        properties: {
          requests_per_minute: { type: 'integer' },
          tokens_per_minute: { type: 'integer' },
          monthly_token_quota: { type: 'integer' },
        },
      },
      Rule: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', description: 'Exact name, or an anchored regex when it has regex syntax' },
          to: { type: 'string' },
        },
      },
      Profile: {
        type: 'object',
        properties: { name: { type: 'string' }, active: { type: 'boolean' }, rules: { type: 'array', items: ref('Rule') } },
      },
      DryRun: {
        type: 'object',
        properties: {
          model: { type: 'string' },
          profile: { type: ['string', 'null'] },
          mapped_model: { type: 'string' },
          channel: { type: ['object', 'null'], properties: { name: { type: 'string' }, type: { type: 'string' } } },
        },
      },
      ChannelTest: {
        type: 'object',
        required: ['ok', 'status', 'latency_ms', 'model', 'at'],
        properties: {
          ok: { type: 'boolean' },
          status: { type: ['integer', 'null'], description: "The upstream's HTTP status; null when no answer came" },
          latency_ms: { type: 'integer' },
          model: { type: 'string' },
          error: { type: 'string', description: "Why it failed, redacted with the channel's credential" },
          at: { type: 'string', format: 'date-time' },
        },
      },
      MaskedSecret: {
        type: 'object',
        description: 'A secret, masked: its last 4 characters when it has at least 16, else none (null)',
        properties: { set: { const: true }, last4: { type: ['string', 'null'] } },
      },
      Channel: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          type: { enum: [...CHANNEL_TYPES] },
          base_url: { type: 'string' },
          models: { type: 'array', items: { type: 'string' } },
          enabled: { type: 'boolean' },
          timeout_ms: { type: ['integer', 'null'] },
          preset: { type: ['string', 'null'] },
          model_map: { type: 'object', additionalProperties: { type: 'string' } },
          api_key: ref('MaskedSecret'),
          headers: {
            type: 'object',
            description: 'Extra request headers by name, values masked',
            additionalProperties: ref('MaskedSecret'),
          },
          last_test: { oneOf: [ref('ChannelTest'), { type: 'null' }] },
          created_at: { type: 'string' },
          updated_at: { type: 'string' },
        },
      },
      AuditEntry: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          at: { type: 'string' },
          actor: { type: 'object', properties: { token_id: { type: 'string' }, token_name: { type: 'string' } } },
          action: { type: 'string' },
          resource: { type: 'object', properties: { type: { type: 'string' }, id: { type: ['string', 'null'] } } },
          project: { type: ['string', 'null'] },
          before: {},
          after: {},
        },
      },
      ...REQUEST_LOG_SCHEMAS,
    },
  },
  paths: {
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    '/projects': {
      get: op('List projects', 'any', { '200': json(list('Project')), ...errors(401) }),
      post: op(
        'Create a project',
        'admin, owner (not project-scoped)',
        { '201': json(ref('Project')), ...errors(400, 401, 403, 409) },
        {
          requestBody: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }),
        },
      ),
    },
    '/tokens': {
      get: op('List admin tokens', 'admin, owner', { '200': json(list('AdminToken')), ...errors(401, 403) }),
      post: op(
        'Create an admin token (the secret is in this answer only)',
        'admin, owner; never above its own role',
        {
          '201': json({ allOf: [ref('AdminToken'), { type: 'object', properties: { token: { type: 'string' } } }] }),
          ...errors(400, 401, 403, 404),
        },
        {
          requestBody: json({
            type: 'object',
            required: ['name', 'role'],
            properties: { name: { type: 'string' }, role: { type: 'string' }, project: { type: ['string', 'null'] } },
          }),
        },
      ),
    },
    '/api-keys': {
      get: op('List API keys', 'any', { '200': json(list('ApiKey')), ...errors(401) }),
      post: op(
        'Create an API key (the secret `key` is in this answer only)',
        'developer, admin, owner',
        {
          '201': json({ allOf: [ref('ApiKey'), { type: 'object', properties: { key: { type: 'string' } } }] }),
          ...errors(400, 401, 403, 404, 409),
        },
        {
          requestBody: json({
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              project: { type: 'string' },
              expires_at: { type: ['string', 'null'], format: 'date-time' },
              allowed_models: { type: ['array', 'null'], items: { type: 'string' } },
              limits: ref('Limits'),
            },
          }),
        },
      ),
    },
    '/api-keys/{id}': {
      parameters: [keyId],
      get: op('One API key', 'any', { '200': json(ref('ApiKey')), ...errors(401, 404) }),
      delete: op('Revoke an API key (effective on the next request)', 'developer, admin, owner', {
        '200': json(ref('ApiKey')),
        ...errors(401, 403, 404),
      }),
    },
    '/api-keys/{id}/active-profile': {
      parameters: [keyId],
      put: op(
        'Switch the active profile (live, no restart)',
        'developer, admin, owner',
        { '200': json(ref('ApiKey')), ...errors(400, 401, 403, 404) },
        {
          requestBody: json({ type: 'object', required: ['profile'], properties: { profile: { type: ['string', 'null'] } } }),
        },
      ),
    },
    '/api-keys/{id}/dry-run': {
      parameters: [keyId],
      post: op(
        'Which model and channel a model name would reach',
        'any',
        { '200': json(ref('DryRun')), ...errors(400, 401, 404) },
        {
          requestBody: json({
            type: 'object',
            required: ['model'],
            properties: { model: { type: 'string' }, profile: { type: 'string' } },
          }),
        },
      ),
    },
    '/api-keys/{id}/profiles': {
      parameters: [keyId],
      get: op("List a key's profiles", 'any', { '200': json(list('Profile')), ...errors(401, 404) }),
      post: op(
        'Create a profile',
        'developer, admin, owner',
        { '201': json(ref('Profile')), ...errors(400, 401, 403, 404, 409) },
        {
          requestBody: json({
            type: 'object',
            required: ['name', 'rules'],
            properties: { name: { type: 'string' }, rules: { type: 'array', items: ref('Rule') } },
          }),
        },
      ),
    },
    '/api-keys/{id}/profiles/{profile}': {
      parameters: [keyId, profileName],
      get: op('One profile', 'any', { '200': json(ref('Profile')), ...errors(401, 404) }),
      put: op(
        "Replace a profile's rules (ordered: the first match wins)",
        'developer, admin, owner',
        { '200': json(ref('Profile')), ...errors(400, 401, 403, 404) },
        {
          requestBody: json({ type: 'object', required: ['rules'], properties: { rules: { type: 'array', items: ref('Rule') } } }),
        },
      ),
      delete: op('Delete a profile (not the active one)', 'developer, admin, owner', {
        '204': { description: 'Deleted' },
        ...errors(401, 403, 404, 409),
      }),
    },
    '/channels': {
      get: op('List channels (credentials masked)', 'any', { '200': json(list('Channel')), ...errors(401) }),
      post: op(
        'Create a channel',
        'admin, owner (not project-scoped)',
        { '201': json(ref('Channel')), ...errors(400, 401, 403, 409) },
        {
          requestBody: json({
            type: 'object',
            required: ['name', 'api_key', 'models'],
            additionalProperties: false,
            properties: channelFields,
          }),
        },
      ),
    },
    '/channels/{channel}': {
      parameters: [channelRef],
      get: op('One channel (credential masked)', 'any', { '200': json(ref('Channel')), ...errors(401, 404) }),
      patch: op(
        'Change a channel: any subset of the create fields (`api_key` replaces the credential, `enabled` enables or disables it; live, no restart)',
        'admin, owner (not project-scoped)',
        { '200': json(ref('Channel')), ...errors(400, 401, 403, 404, 409) },
        { requestBody: json({ type: 'object', additionalProperties: false, properties: channelFields }) },
      ),
      delete: op('Delete a channel', 'admin, owner (not project-scoped)', { '204': { description: 'Deleted' }, ...errors(401, 403, 404) }),
    },
    '/channels/{channel}/test': {
      parameters: [channelRef],
      post: op(
        "Test the channel: one real, minimal upstream call with its credential (kept as the channel's last_test)",
        'admin, owner (not project-scoped)',
        { '200': json(ref('ChannelTest')), ...errors(400, 401, 403, 404, 409) },
        {
          requestBody: {
            required: false,
            ...json({ type: 'object', properties: { model: { type: 'string', description: "Absent: the channel's first model" } } }),
          },
        },
      ),
    },
    '/audit': {
      get: op(
        'Audit log of admin changes, newest first',
        'any',
        {
          '200': json({
            type: 'object',
            properties: { items: { type: 'array', items: ref('AuditEntry') }, next_cursor: { type: ['string', 'null'] } },
          }),
          ...errors(400, 401),
        },
        {
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
        },
      ),
    },
    ...REQUEST_LOG_PATHS,
    ...USER_PATHS,
  },
} as const;
