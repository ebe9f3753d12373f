import { Module } from '@nestjs/common';
import { VerifyApiKeyController } from './verify-api-key.controller';

/** Control plane for API keys and projects. Needs PlatformModule and DatabaseModule in the same process. */
@Module({ controllers: [VerifyApiKeyController] })
export class AuthModule {}
