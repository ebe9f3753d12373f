import { Module } from '@nestjs/common';
import { AuthAdminController } from './admin/auth-admin.controller';
import { FirstOwnerToken } from './admin/first-owner-token';
import { VerifyApiKeyController } from './verify-api-key.controller';

/**
 * Control plane for API keys, projects and admin tokens. Needs PlatformModule and DatabaseModule in the same
 * process.
 */
@Module({ controllers: [VerifyApiKeyController, AuthAdminController], providers: [FirstOwnerToken] })
export class AuthModule {}
