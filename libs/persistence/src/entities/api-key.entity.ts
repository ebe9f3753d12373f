import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import type { ApiKeyLimits } from '@gw/contracts';
import { ProjectEntity } from './project.entity';

/**
 * A client credential. The secret itself is never stored: `keyLookup` narrows the candidates with an
 * index, `keyHash` (salted scrypt) decides.
 */
@Entity({ name: 'api_keys' })
@Unique('uq_api_keys_project_name', ['projectId', 'name'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_keys' })
  id!: string;

  @Column({ name: 'project_id', type: 'uuid' })
  projectId!: string;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_api_keys_project' })
  project?: Relation<ProjectEntity>;

  @Column({ type: 'text' })
  name!: string;

  /** First 16 hex chars of sha256(secret): not unique, a 64-bit prefix may collide. */
  @Index('idx_api_keys_key_lookup')
  @Column({ name: 'key_lookup', type: 'text' })
  keyLookup!: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'active_profile', type: 'text', nullable: true })
  activeProfile!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** The first characters of the secret, shown in lists (the secret itself is shown once, at creation). */
  @Column({ type: 'text', default: '' })
  prefix!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** Null: every model. Stored for the enforcement that comes with rate limits. */
  @Column({ name: 'allowed_models', type: 'jsonb', nullable: true })
  allowedModels!: string[] | null;

  /** Rate limits and quotas, stored for the work that enforces them. */
  @Column({ type: 'jsonb', nullable: true })
  limits!: ApiKeyLimits | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
