import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Relation } from 'typeorm';
import type { ModelRule } from '@gw/contracts';
import { ApiKeyEntity } from './api-key.entity';

/** A named set of model-name rewrites owned by one API key; the key's `active_profile` picks one. */
@Entity({ name: 'model_profiles' })
@Unique('uq_model_profiles_api_key_name', ['apiKeyId', 'name'])
export class ModelProfileEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_model_profiles' })
  id!: string;

  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId!: string;

  @ManyToOne(() => ApiKeyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_model_profiles_api_key' })
  apiKey?: Relation<ApiKeyEntity>;

  @Column({ type: 'text' })
  name!: string;

  /** Ordered: the first matching rule wins, so the order of the configuration is kept. */
  @Column({ type: 'jsonb' })
  rules!: ModelRule[];
}
