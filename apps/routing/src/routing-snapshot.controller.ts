import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RoutingSubjects, type RoutingSnapshot } from '@gw/contracts';
import { RoutingSnapshotService } from './routing-snapshot.service';

@Controller()
export class RoutingSnapshotController {
  constructor(private readonly snapshots: RoutingSnapshotService) {}

  @MessagePattern(RoutingSubjects.getSnapshot)
  getSnapshot(): Promise<RoutingSnapshot> {
    return this.snapshots.snapshot();
  }
}
