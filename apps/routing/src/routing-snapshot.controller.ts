import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RoutingSubjects, type GetRoutingSnapshotRequest, type RoutingSnapshotReply } from '@gw/contracts';
import { RoutingSnapshotService } from './routing-snapshot.service';

@Controller()
export class RoutingSnapshotController {
  constructor(private readonly snapshots: RoutingSnapshotService) {}

  @MessagePattern(RoutingSubjects.getSnapshot)
  getSnapshot(@Payload() request: GetRoutingSnapshotRequest | undefined): Promise<RoutingSnapshotReply> {
    return this.snapshots.snapshot({ profilesFromRedis: request?.profilesFromRedis === true });
  }
}
