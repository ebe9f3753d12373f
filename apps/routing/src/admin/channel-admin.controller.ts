import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import {
  AdminSubjects,
  DATA_SOURCE,
  SECRET_CIPHER,
  type AdminCommand,
  type AdminReply,
  type ChannelRef,
  type ChannelTestResult,
  type ChannelView,
  type CreateChannelCommand,
  type TestChannelCommand,
  type UpdateChannelCommand,
} from '@gw/contracts';
import { ChannelAdminStore, invalid, toAdminReply, type SecretCipher } from '@gw/persistence';
import { RoutingSnapshotService } from '../routing-snapshot.service';
import { ChannelTester } from './channel-tester';

/**
 * The routing service's channel commands. Every write publishes `routing.snapshot.changed` before it
 * answers, so every ingress reloads: a disabled channel stops serving without a restart.
 */
@Controller()
export class ChannelAdminController {
  private readonly channels: ChannelAdminStore;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(SECRET_CIPHER) cipher: SecretCipher,
    private readonly snapshots: RoutingSnapshotService,
    private readonly tester: ChannelTester,
  ) {
    this.channels = new ChannelAdminStore(dataSource, cipher);
  }

  @MessagePattern(AdminSubjects.listChannels)
  list(@Payload() _command: AdminCommand): Promise<AdminReply<ChannelView[]>> {
    return toAdminReply(() => this.channels.list());
  }

  @MessagePattern(AdminSubjects.getChannel)
  get(@Payload() ref: ChannelRef): Promise<AdminReply<ChannelView>> {
    return toAdminReply(() => this.channels.get(ref));
  }

  @MessagePattern(AdminSubjects.createChannel)
  create(@Payload() command: CreateChannelCommand): Promise<AdminReply<ChannelView>> {
    return toAdminReply(() => this.thenPublish(this.channels.create(command)));
  }

  @MessagePattern(AdminSubjects.updateChannel)
  update(@Payload() command: UpdateChannelCommand): Promise<AdminReply<ChannelView>> {
    return toAdminReply(() => this.thenPublish(this.channels.update(command)));
  }

  @MessagePattern(AdminSubjects.deleteChannel)
  delete(@Payload() ref: ChannelRef): Promise<AdminReply<null>> {
    return toAdminReply(() => this.thenPublish(this.channels.delete(ref).then(() => null)));
  }

  /** One real call with the channel's own credential; the result is kept as the channel's `last_test`. */
  @MessagePattern(AdminSubjects.testChannel)
  test(@Payload() command: TestChannelCommand): Promise<AdminReply<ChannelTestResult>> {
    return toAdminReply(async () => {
      if (command.model !== undefined && (typeof command.model !== 'string' || command.model.trim() === ''))
        throw invalid("model must be a non-empty string (absent: the channel's first model)", { field: 'model' });
      const { channel, apiKey, headers } = await this.channels.forTest(command);
      const model = command.model ?? channel.models[0];
      if (model === undefined) throw invalid('The channel lists no model; give one as "model"', { field: 'model' });
      const result = await this.tester.test(
        {
          name: channel.name,
          type: channel.type,
          baseUrl: channel.base_url,
          apiKey,
          timeoutMs: channel.timeout_ms,
          ...(channel.preset === null ? {} : { preset: channel.preset }),
          modelMap: channel.model_map,
          headers,
        },
        model,
      );
      await this.channels.recordTest(command.actor, channel.id, result);
      return result;
    });
  }

  private async thenPublish<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.snapshots.publishChanged();
    return result;
  }
}
