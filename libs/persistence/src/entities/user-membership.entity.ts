import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AdminRole } from '@gw/contracts';

/** A user's role in one project, or gateway-wide (`projectId` null). One per (user, project). */
@Entity({ name: 'user_memberships' })
export class UserMembershipEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_memberships' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId!: string | null;

  /** Plain text validated in code, like admin tokens' roles. */
  @Column({ type: 'text' })
  role!: AdminRole;
}
