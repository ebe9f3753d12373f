import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { ChannelTestResult, ChannelType } from '@gw/contracts';

/** An upstream provider endpoint. Its credential is stored encrypted with the gateway's SecretCipher. */
@Entity({ name: 'channels' })
@Unique('uq_channels_name', ['name'])
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_channels' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Plain text rather than a database enum so a new protocol needs no migration; validated in code. */
  @Column({ type: 'text' })
  type!: ChannelType;

  @Column({ name: 'base_url', type: 'text' })
  baseUrl!: string;

  /** `SecretCipher` token (`v1:iv:tag:ciphertext`). */
  @Column({ name: 'api_key_encrypted', type: 'text' })
  apiKeyEncrypted!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  models!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'timeout_ms', type: 'integer', nullable: true })
  timeoutMs!: number | null;

  /** An OpenAI-compatible vendor preset (`@gw/providers`); validated in code like `type`. */
  @Column({ type: 'text', nullable: true })
  preset!: string | null;

  /** The model the profile mapped to → the name this channel's upstream wants. */
  @Column({ name: 'model_map', type: 'jsonb', default: () => "'{}'" })
  modelMap!: Record<string, string>;

  /**
   * Extra request headers as one `SecretCipher` token of their JSON object (values may be credentials, e.g. a
   * proxy's key); null when there are none.
   */
  @Column({ name: 'headers_encrypted', type: 'text', nullable: true })
  headersEncrypted!: string | null;

  /** The latest "test this channel" result (admin API); not part of the routing snapshot. */
  @Column({ name: 'last_test', type: 'jsonb', nullable: true })
  lastTest!: ChannelTestResult | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
