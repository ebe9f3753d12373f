import { Module } from '@nestjs/common';
import { AuthAdminController } from './admin/auth-admin.controller';
import { AuthUsersController } from './admin/auth-users.controller';
import { FirstOwnerToken } from './admin/first-owner-token';
import { VerifyApiKeyController } from './verify-api-key.controller';

/**
 * Control plane for API keys, projects, admin tokens and users. Needs PlatformModule and DatabaseModule in the same
 * process.
 */
@Module({ controllers: [VerifyApiKeyController, AuthAdminController, AuthUsersController], providers: [FirstOwnerToken] })
export class AuthModule {}
