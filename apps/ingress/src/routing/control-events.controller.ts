import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, RoutingSubjects, type RoutingSnapshotChangedEvent } from '@gw/contracts';
import { ApiKeyResolver } from '../auth/api-key-resolver';
import { RoutingTableHolder } from './routing-table.holder';

/** Change events from the control plane evict ingress caches (every replica: no queue group). */
@Controller()
export class ControlEventsController {
  private readonly logger = new Logger(ControlEventsController.name);

  constructor(
    private readonly routing: RoutingTableHolder,
    private readonly apiKeys: ApiKeyResolver,
  ) {}

  @EventPattern(RoutingSubjects.snapshotChanged)
  async onSnapshotChanged(@Payload() event: RoutingSnapshotChangedEvent | undefined): Promise<void> {
    try {
      await this.routing.onChange(event);
    } catch (error) {
      this.logger.warn(`Snapshot refresh after change event failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  @EventPattern(AuthSubjects.apiKeyChanged)
  async onApiKeyChanged(): Promise<void> {
    await this.apiKeys.evictAll();
  }
}
