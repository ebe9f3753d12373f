import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { AuthSubjects, DATA_SOURCE, type VerifyApiKeyReply, type VerifyApiKeyRequest } from '@gw/contracts';
import { ApiKeyStore } from '@gw/persistence';

@Controller()
export class VerifyApiKeyController {
  private readonly store: ApiKeyStore;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    this.store = new ApiKeyStore(dataSource);
  }

  /** Called by ingress only on a cache miss; answers with what the data plane caches. */
  @MessagePattern(AuthSubjects.verifyApiKey)
  async verify(@Payload() request: VerifyApiKeyRequest): Promise<VerifyApiKeyReply> {
    if (typeof request?.secret !== 'string' || request.secret.length === 0) return { ok: false };
    const key = await this.store.verify(request.secret);
    return key ? { ok: true, key } : { ok: false };
  }
}
