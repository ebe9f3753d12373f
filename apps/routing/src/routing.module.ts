import { Module } from '@nestjs/common';
import { redisProvider } from '@gw/platform';
import { ChannelAdminController } from './admin/channel-admin.controller';
import { ChannelTester } from './admin/channel-tester';
import { RoutingAdminController } from './admin/routing-admin.controller';
import { RoutingSnapshotController } from './routing-snapshot.controller';
import { RoutingSnapshotService } from './routing-snapshot.service';

/** Control plane for channels, model profiles and routing snapshots. */
@Module({
  controllers: [RoutingSnapshotController, RoutingAdminController, ChannelAdminController],
  providers: [redisProvider, RoutingSnapshotService, ChannelTester],
  exports: [RoutingSnapshotService],
})
export class RoutingModule {}
