import { randomBytes } from 'node:crypto';
import { upstreamWires } from '@gw/protocol-registry';
import type { FakeUpstream } from '../../support/fake-upstream';
import { startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './gateway-under-test';

/**
 * The built gateway (embedded mode) with one channel of every channel type the registry lists, all pointing at
 * the fake upstream, and one client model per channel type (`matrix-<type>`): the cross-protocol matrix and the
 * embeddings tests pick the channel type by the model they ask for. Channel types join as their wires are listed.
 */
export interface MatrixGateway {
  gateway: EmbeddedGatewayUnderTest;
  apiKey: string;
  /** The client-facing model routed to the channel of `type`. */
  model(type: string): string;
  /** What the profile maps that model to (the channel's model). */
  upstreamModel(type: string): string;
  channelKey(type: string): string;
  /** Served by the `openai` channel as `EMBEDDING_UPSTREAM_MODEL`. */
  embeddingModel: string;
}

export const EMBEDDING_CLIENT_MODEL = 'matrix-embedding';
export const EMBEDDING_UPSTREAM_MODEL = 'text-embedding-3-small';

export async function startMatrixGateway(upstream: FakeUpstream): Promise<MatrixGateway> {
  const apiKey = `sk-e2e-matrix-${randomBytes(8).toString('hex')}`;
  const types = upstreamWires.map((wire) => wire.channelType);
  const keys = new Map<string, string>(types.map((type) => [type, `sk-proj-matrix${randomBytes(20).toString('hex')}`]));
  const upstreamModel = (type: string): string => `upstream-${type}`;
  const model = (type: string): string => `matrix-${type}`;
  const gateway = await startEmbeddedGateway(upstream, {
    config: {
      bootstrap: {
        channels: types.map((type) => ({
          name: `matrix-${type}`,
          type,
          base_url: upstream.url,
          api_key: keys.get(type),
          models: type === 'openai' ? [upstreamModel(type), EMBEDDING_UPSTREAM_MODEL] : [upstreamModel(type)],
        })),
        api_keys: [
          {
            name: 'matrix-client',
            key: apiKey,
            active_profile: 'matrix',
            profiles: [
              {
                name: 'matrix',
                rules: [
                  ...types.map((type) => ({ from: model(type), to: upstreamModel(type) })),
                  { from: EMBEDDING_CLIENT_MODEL, to: EMBEDDING_UPSTREAM_MODEL },
                ],
              },
            ],
          },
        ],
      },
    },
  });
  return {
    gateway,
    apiKey,
    model,
    upstreamModel,
    channelKey: (type) => keys.get(type) ?? '',
    embeddingModel: EMBEDDING_CLIENT_MODEL,
  };
}
