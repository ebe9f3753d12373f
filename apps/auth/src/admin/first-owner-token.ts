import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { DATA_SOURCE, GATEWAY_CONFIG } from '@gw/contracts';
import { AdminTokenStore } from '@gw/persistence';

/**
 * A fresh gateway must not be unmanageable: with no `admin.bootstrap_token` and no admin token stored, the
 * first start creates an owner token and prints it once, with the next step. Written to stdout directly,
 * not through the logger: it must appear whatever `log.level` is, and the logger would redact it.
 */
@Injectable()
export class FirstOwnerToken implements OnApplicationBootstrap {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin.bootstrap_token !== undefined) return;
    const secret = await new AdminTokenStore(this.dataSource).createFirstOwnerIfNone();
    if (secret !== null) process.stdout.write(firstStartBanner(secret, this.config));
  }
}

export function firstStartBanner(secret: string, config: GatewayConfig): string {
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const origin = `http://${host}:${config.server.port}`;
  const admin = `${origin}/admin/v1`;
  return [
    '',
    '================================================================================',
    'No admin token existed, so an owner token was created. It is shown this once only',
    '(only its hash is stored): keep it, e.g. in a password manager.',
    '',
    `  export AXONHUB_ADMIN_TOKEN=${secret}`,
    '',
    'Next: create an API key for your client (its secret is in the answer, once):',
    '',
    `  curl -s -X POST ${admin}/api-keys -H "Authorization: Bearer $AXONHUB_ADMIN_TOKEN" \\`,
    `       -H 'content-type: application/json' -d '{"name":"codex"}'`,
    '',
    'Or with the CLI, from this checkout (it reads AXONHUB_ADMIN_TOKEN; "npx axonhub --help" lists all):',
    '',
    `  npx axonhub login --url ${origin}`,
    '  npx axonhub channels add deepseek --type openai --base-url https://api.deepseek.com/v1 --models deepseek-chat',
    '  npx axonhub keys create codex        # prints the key and the Codex config to paste',
    '',
    `Or in the browser: ${origin}/console (log in with that token).`,
    '',
    `The admin API is described at ${admin}/openapi.json`,
    '================================================================================',
    '',
  ].join('\n');
}
