import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A tenant boundary for API keys. Bootstrap guarantees one named `default`. */
@Entity({ name: 'projects' })
@Unique('uq_projects_name', ['name'])
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_projects' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Prompt and response capture for this project's requests: true or false overrides the config, null follows it. */
  @Column({ name: 'capture_bodies', type: 'boolean', nullable: true })
  captureBodies!: boolean | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
