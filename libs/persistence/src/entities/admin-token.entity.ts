import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AdminRole } from '@gw/contracts';

/** A credential for the admin API. Stored like API keys: an indexed lookup prefix and a salted scrypt hash. */
@Entity({ name: 'admin_tokens' })
export class AdminTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_admin_tokens' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Plain text validated in code (like channel types): a new role needs no migration. */
  @Column({ type: 'text' })
  role!: AdminRole;

  /** No foreign key to keep the auth service's first-start path free of ordering; checked on create. */
  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId!: string | null;

  @Column({ type: 'text' })
  prefix!: string;

  @Index('idx_admin_tokens_token_lookup')
  @Column({ name: 'token_lookup', type: 'text' })
  tokenLookup!: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  /** The user whose login session this is; null for a plain admin token. */
  @Index('idx_admin_tokens_user_id', { where: '"user_id" IS NOT NULL' })
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  /** Sessions expire; plain admin tokens do not (null). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
