import { ApiKeyEntity } from './api-key.entity';
import { ChannelEntity } from './channel.entity';
import { ModelProfileEntity } from './model-profile.entity';
import { ProjectEntity } from './project.entity';
import { RequestLogEntity } from './request-log.entity';

export { ApiKeyEntity, ChannelEntity, ModelProfileEntity, ProjectEntity, RequestLogEntity };

export const PERSISTENCE_ENTITIES = [ProjectEntity, ApiKeyEntity, ModelProfileEntity, ChannelEntity, RequestLogEntity];
