import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The form of a `bootstrap:` item as last applied (a hash). Bootstrap re-applies an item only when the file's
 * form differs from it, so a change made through the admin API survives restarts with an unchanged file.
 */
@Entity({ name: 'bootstrap_items' })
export class BootstrapItemEntity {
  /** `api_key` or `profile`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_bootstrap_items' })
  kind!: string;

  /** The key's name; `<key name>/<profile name>` for a profile. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_bootstrap_items' })
  name!: string;

  @Column({ name: 'form_hash', type: 'text' })
  formHash!: string;

  @UpdateDateColumn({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}
