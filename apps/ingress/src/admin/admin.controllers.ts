import { AdminApiKeysController } from './admin-api-keys.controller';
import { AdminAuditController } from './admin-audit.controller';
import { AdminChannelsController } from './admin-channels.controller';
import { AdminOpenApiController } from './admin-openapi.controller';
import { AdminProfilesController } from './admin-profiles.controller';
import { AdminProjectsController } from './admin-projects.controller';
import { AdminConversationsController, AdminRequestLogsController, AdminUsageController } from './admin-request-logs.controller';
import { AdminSessionsController } from './admin-sessions.controller';
import { AdminTokensController } from './admin-tokens.controller';
import { AdminUsersController } from './admin-users.controller';

/** Every controller of `/admin/v1` (the OpenAPI test walks this list). */
export const ADMIN_CONTROLLERS = [
  AdminProjectsController,
  AdminTokensController,
  AdminApiKeysController,
  AdminProfilesController,
  AdminChannelsController,
  AdminAuditController,
  AdminRequestLogsController,
  AdminConversationsController,
  AdminUsageController,
  AdminUsersController,
  AdminSessionsController,
  AdminOpenApiController,
];
