import type { IncomingHttpHeaders } from 'node:http';

/**
 * The key from `Authorization: Bearer`, `X-API-Key` or `Api-Key`: OpenAI clients send the first, Anthropic's
 * the second, Azure-style tools the third, and many tools let users pick; all are accepted on every route.
 */
export function apiKeyFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const xApiKey = headers['x-api-key'];
  if (typeof xApiKey === 'string' && xApiKey.trim()) return xApiKey.trim();
  const apiKey = headers['api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  return undefined;
}
