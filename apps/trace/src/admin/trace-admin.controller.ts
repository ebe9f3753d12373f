import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import {
  AdminSubjects,
  DATA_SOURCE,
  GATEWAY_CONFIG,
  type AdminReply,
  type ConversationRequestsQuery,
  type ConversationView,
  type GetRequestLogQuery,
  type ListConversationsQuery,
  type ListRequestLogsQuery,
  type Page,
  type RequestLogDetailView,
  type RequestLogView,
  type UsageQuery,
  type UsageView,
} from '@gw/contracts';
import type { GatewayConfig } from '@gw/config';
import { RequestLogQueryStore, toAdminReply } from '@gw/persistence';

/**
 * The trace service's admin commands: reads of the request logs it writes. Ingress has checked the caller's
 * role (every role may read); the store scopes by the actor's project and validates the filters.
 */
@Controller()
export class TraceAdminController {
  private readonly requestLogs: RequestLogQueryStore;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.requestLogs = new RequestLogQueryStore(dataSource, config.otel.trace_view_url);
  }

  @MessagePattern(AdminSubjects.listRequestLogs)
  listRequestLogs(@Payload() query: ListRequestLogsQuery): Promise<AdminReply<Page<RequestLogView>>> {
    return toAdminReply(() => this.requestLogs.list(query));
  }

  @MessagePattern(AdminSubjects.getRequestLog)
  getRequestLog(@Payload() query: GetRequestLogQuery): Promise<AdminReply<RequestLogDetailView>> {
    return toAdminReply(() => this.requestLogs.get(query));
  }

  @MessagePattern(AdminSubjects.listConversations)
  listConversations(@Payload() query: ListConversationsQuery): Promise<AdminReply<Page<ConversationView>>> {
    return toAdminReply(() => this.requestLogs.conversations(query));
  }

  @MessagePattern(AdminSubjects.listConversationRequests)
  listConversationRequests(@Payload() query: ConversationRequestsQuery): Promise<AdminReply<Page<RequestLogView>>> {
    return toAdminReply(() => this.requestLogs.conversation(query));
  }

  @MessagePattern(AdminSubjects.usage)
  usage(@Payload() query: UsageQuery): Promise<AdminReply<UsageView>> {
    return toAdminReply(() => this.requestLogs.usage(query));
  }
}
