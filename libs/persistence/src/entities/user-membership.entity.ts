import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import type { AdminRole } from '@gw/contracts';
import { ProjectEntity } from './project.entity';
import { UserEntity } from './user.entity';

/** A user's role in one project, or gateway-wide (`projectId` null). One per (user, project). */
@Entity({ name: 'user_memberships' })
@Index('uq_user_memberships_user_project', ['userId', 'projectId'], { unique: true, where: '"project_id" IS NOT NULL' })
@Index('uq_user_memberships_user_gateway', ['userId'], { unique: true, where: '"project_id" IS NULL' })
export class UserMembershipEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_memberships' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_memberships_user' })
  user?: Relation<UserEntity>;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId!: string | null;

  /** Deleting a project removes the roles in it. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_user_memberships_project' })
  project?: Relation<ProjectEntity>;

  /** Plain text validated in code, like admin tokens' roles. */
  @Column({ type: 'text' })
  role!: AdminRole;
}
