import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import {
  AdminSubjects,
  DATA_SOURCE,
  GATEWAY_CONFIG,
  type AdminCommand,
  type AdminReply,
  type CreateUserCommand,
  type LoginCommand,
  type ProjectRef,
  type ProjectView,
  type RemoveUserRoleCommand,
  type RevokeTokenCommand,
  type SessionView,
  type SetPasswordCommand,
  type SetUserRoleCommand,
  type UserRef,
  type UserView,
} from '@gw/contracts';
import { AdminTokenStore, ProjectStore, SessionStore, UserStore, toAdminReply } from '@gw/persistence';

const HOUR_MS = 3_600_000;

/**
 * The auth service's commands for users, their login sessions, admin-token revocation and one project.
 * Ingress has checked the caller's role; the stores scope by the caller's project and rank.
 */
@Controller()
export class AuthUsersController {
  private readonly users: UserStore;
  private readonly sessions: SessionStore;
  private readonly tokens: AdminTokenStore;
  private readonly projects: ProjectStore;
  private readonly bootstrapTokenConfigured: boolean;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.bootstrapTokenConfigured = config.admin.bootstrap_token !== undefined;
    this.users = new UserStore(dataSource, this.bootstrapTokenConfigured);
    this.sessions = new SessionStore(dataSource, config.admin.session_ttl_hours * HOUR_MS);
    this.tokens = new AdminTokenStore(dataSource);
    this.projects = new ProjectStore(dataSource);
  }

  @MessagePattern(AdminSubjects.listUsers)
  listUsers(@Payload() command: AdminCommand): Promise<AdminReply<UserView[]>> {
    return toAdminReply(() => this.users.list(command.actor));
  }

  @MessagePattern(AdminSubjects.getUser)
  getUser(@Payload() ref: UserRef): Promise<AdminReply<UserView>> {
    return toAdminReply(() => this.users.get(ref));
  }

  @MessagePattern(AdminSubjects.createUser)
  createUser(@Payload() command: CreateUserCommand): Promise<AdminReply<UserView>> {
    return toAdminReply(() => this.users.create(command));
  }

  @MessagePattern(AdminSubjects.deleteUser)
  deleteUser(@Payload() ref: UserRef): Promise<AdminReply<null>> {
    return toAdminReply(async () => {
      await this.users.delete(ref);
      return null;
    });
  }

  @MessagePattern(AdminSubjects.setUserRole)
  setUserRole(@Payload() command: SetUserRoleCommand): Promise<AdminReply<UserView>> {
    return toAdminReply(() => this.users.setRole(command));
  }

  @MessagePattern(AdminSubjects.removeUserRole)
  removeUserRole(@Payload() command: RemoveUserRoleCommand): Promise<AdminReply<null>> {
    return toAdminReply(async () => {
      await this.users.removeRole(command);
      return null;
    });
  }

  @MessagePattern(AdminSubjects.setUserPassword)
  setUserPassword(@Payload() command: SetPasswordCommand): Promise<AdminReply<null>> {
    return toAdminReply(async () => {
      await this.users.setPassword(command);
      return null;
    });
  }

  @MessagePattern(AdminSubjects.login)
  login(@Payload() command: LoginCommand): Promise<AdminReply<SessionView>> {
    return toAdminReply(() => this.sessions.login(command));
  }

  @MessagePattern(AdminSubjects.logout)
  logout(@Payload() command: AdminCommand): Promise<AdminReply<null>> {
    return toAdminReply(async () => {
      await this.sessions.logout(command.actor);
      return null;
    });
  }

  @MessagePattern(AdminSubjects.revokeToken)
  revokeToken(@Payload() command: RevokeTokenCommand): Promise<AdminReply<null>> {
    return toAdminReply(async () => {
      await this.tokens.revoke(command, this.bootstrapTokenConfigured);
      return null;
    });
  }

  @MessagePattern(AdminSubjects.getProject)
  getProject(@Payload() ref: ProjectRef): Promise<AdminReply<ProjectView>> {
    return toAdminReply(() => this.projects.get(ref));
  }
}
