import { AdminTokenEntity } from './admin-token.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { BootstrapItemEntity } from './bootstrap-item.entity';
import { ChannelEntity } from './channel.entity';
import { ModelProfileEntity } from './model-profile.entity';
import { ProjectEntity } from './project.entity';
import { RequestLogEntity } from './request-log.entity';
import { RequestLogBodiesEntity } from './request-log-bodies.entity';
import { UserEntity } from './user.entity';
import { UserMembershipEntity } from './user-membership.entity';

export {
  AdminTokenEntity,
  AuditEntryEntity,
  BootstrapItemEntity,
  ApiKeyEntity,
  ChannelEntity,
  ModelProfileEntity,
  ProjectEntity,
  RequestLogEntity,
  RequestLogBodiesEntity,
  UserEntity,
  UserMembershipEntity,
};

export const PERSISTENCE_ENTITIES = [
  ProjectEntity,
  ApiKeyEntity,
  ModelProfileEntity,
  ChannelEntity,
  RequestLogEntity,
  AdminTokenEntity,
  AuditEntryEntity,
  BootstrapItemEntity,
  RequestLogBodiesEntity,
  UserEntity,
  UserMembershipEntity,
];
