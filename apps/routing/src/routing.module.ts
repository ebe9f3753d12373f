import { Module } from '@nestjs/common';
import { redisProvider } from '@gw/platform';
import { RoutingAdminController } from './admin/routing-admin.controller';
import { RoutingSnapshotController } from './routing-snapshot.controller';
import { RoutingSnapshotService } from './routing-snapshot.service';

/** Control plane for channels, model profiles and routing snapshots. */
@Module({
  controllers: [RoutingSnapshotController, RoutingAdminController],
  providers: [redisProvider, RoutingSnapshotService],
  exports: [RoutingSnapshotService],
})
export class RoutingModule {}
