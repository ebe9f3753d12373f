import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload, type ClientProxy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import {
  AdminSubjects,
  AuthSubjects,
  RoutingSubjects,
  DATA_SOURCE,
  EVENTS_CLIENT,
  GATEWAY_CONFIG,
  type AdminActor,
  type AdminReply,
  type AdminTokenView,
  type ApiKeyChangedEvent,
  type ApiKeyRef,
  type ApiKeyView,
  type AuditEntryView,
  type AuthenticateAdminRequest,
  type CreateAdminTokenCommand,
  type CreateApiKeyCommand,
  type CreateProjectCommand,
  type CreatedSecret,
  type ListAuditQuery,
  type AdminCommand,
  type Page,
  type ProjectView,
  type UpdateProjectCommand,
} from '@gw/contracts';
import { AdminTokenStore, ApiKeyAdminStore, AuditStore, ProjectStore, toAdminReply, updateProject } from '@gw/persistence';

/**
 * The auth service's admin commands: admin tokens, projects, API keys and the audit log. Ingress has checked
 * the caller's role; every store call scopes by the actor's project.
 */
@Controller()
export class AuthAdminController {
  private readonly tokens: AdminTokenStore;
  private readonly projects: ProjectStore;
  private readonly apiKeys: ApiKeyAdminStore;
  private readonly audit: AuditStore;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly events: ClientProxy,
  ) {
    this.tokens = new AdminTokenStore(dataSource);
    this.projects = new ProjectStore(dataSource);
    this.apiKeys = new ApiKeyAdminStore(dataSource);
    this.audit = new AuditStore(dataSource);
  }

  @MessagePattern(AdminSubjects.authenticate)
  async authenticate(@Payload() request: AuthenticateAdminRequest): Promise<{ actor: AdminActor | null }> {
    if (typeof request?.token !== 'string' || request.token.length === 0) return { actor: null };
    return { actor: await this.tokens.authenticate(request.token, this.config.admin.bootstrap_token) };
  }

  @MessagePattern(AdminSubjects.listTokens)
  listTokens(@Payload() command: AdminCommand): Promise<AdminReply<AdminTokenView[]>> {
    return toAdminReply(() => this.tokens.list(command.actor));
  }

  @MessagePattern(AdminSubjects.createToken)
  createToken(@Payload() command: CreateAdminTokenCommand): Promise<AdminReply<CreatedSecret<AdminTokenView>>> {
    return toAdminReply(() => this.tokens.create(command));
  }

  @MessagePattern(AdminSubjects.listProjects)
  listProjects(@Payload() command: AdminCommand): Promise<AdminReply<ProjectView[]>> {
    return toAdminReply(() => this.projects.list(command.actor));
  }

  @MessagePattern(AdminSubjects.createProject)
  createProject(@Payload() command: CreateProjectCommand): Promise<AdminReply<ProjectView>> {
    return toAdminReply(() => this.projects.create(command));
  }

  /**
   * A project's capture setting travels in the routing snapshot (ingress decides capture from memory), so
   * every ingress is told to reload it; the serving ingress reloads before it answers.
   */
  @MessagePattern(AdminSubjects.updateProject)
  updateProject(@Payload() command: UpdateProjectCommand): Promise<AdminReply<ProjectView>> {
    return toAdminReply(async () => {
      const view = await updateProject(this.dataSource, command);
      await lastValueFrom(this.events.emit(RoutingSubjects.snapshotChanged, {}), { defaultValue: undefined });
      return view;
    });
  }

  @MessagePattern(AdminSubjects.listApiKeys)
  listApiKeys(@Payload() command: AdminCommand): Promise<AdminReply<ApiKeyView[]>> {
    return toAdminReply(() => this.apiKeys.list(command.actor));
  }

  @MessagePattern(AdminSubjects.getApiKey)
  getApiKey(@Payload() ref: ApiKeyRef): Promise<AdminReply<ApiKeyView>> {
    return toAdminReply(() => this.apiKeys.get(ref));
  }

  @MessagePattern(AdminSubjects.createApiKey)
  createApiKey(@Payload() command: CreateApiKeyCommand): Promise<AdminReply<CreatedSecret<ApiKeyView>>> {
    return toAdminReply(() => this.apiKeys.create(command));
  }

  /** Revocation evicts every ingress's cached decision for the key before the reply goes out. */
  @MessagePattern(AdminSubjects.revokeApiKey)
  revokeApiKey(@Payload() ref: ApiKeyRef): Promise<AdminReply<ApiKeyView>> {
    return toAdminReply(async () => {
      const { view, lookup } = await this.apiKeys.revoke(ref);
      const event: ApiKeyChangedEvent = { lookup };
      await lastValueFrom(this.events.emit(AuthSubjects.apiKeyChanged, event), { defaultValue: undefined });
      return view;
    });
  }

  @MessagePattern(AdminSubjects.listAudit)
  listAudit(@Payload() query: ListAuditQuery): Promise<AdminReply<Page<AuditEntryView>>> {
    return toAdminReply(() => this.audit.list(query.actor, query.limit, query.before));
  }
}
