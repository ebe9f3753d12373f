import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { AuthSubjects, DATA_SOURCE, type VerifyApiKeyReply, type VerifyApiKeyRequest } from '@gw/contracts';
import { ApiKeyStore } from '@gw/persistence';

@Controller()
export class VerifyApiKeyController {
  private readonly store: ApiKeyStore;

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {
    this.store = new ApiKeyStore(dataSource);
  }

  /**
   * Readiness of the key check for keys ingress has not cached: this service answers and so does the
   * database it reads keys from. One round trip and a `SELECT 1`, cheap enough for every probe.
   */
  @MessagePattern(AuthSubjects.ping)
  async ping(): Promise<{ ok: true }> {
    await this.dataSource.query('SELECT 1');
    return { ok: true };
  }

  /** Called by ingress only on a cache miss; answers with what the data plane caches. */
  @MessagePattern(AuthSubjects.verifyApiKey)
  async verify(@Payload() request: VerifyApiKeyRequest): Promise<VerifyApiKeyReply> {
    if (typeof request?.secret !== 'string' || request.secret.length === 0) return { ok: false };
    const key = await this.store.verify(request.secret);
    return key ? { ok: true, key } : { ok: false };
  }
}
