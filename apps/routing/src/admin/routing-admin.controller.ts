import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import {
  AdminSubjects,
  DATA_SOURCE,
  SECRET_CIPHER,
  type AdminReply,
  type ApiKeyRef,
  type ApiKeyView,
  type DryRunCommand,
  type DryRunView,
  type ProfileRef,
  type ProfileView,
  type PutProfileCommand,
  type SetActiveProfileCommand,
} from '@gw/contracts';
import { ProfileAdminStore, toAdminReply, type SecretCipher } from '@gw/persistence';
import { RoutingSnapshotService } from '../routing-snapshot.service';

/**
 * The routing service's admin commands: a key's profiles, its active profile and the dry-run. Every write
 * publishes `routing.snapshot.changed` (profiles only: ingresses read them from Redis when there is one)
 * and `auth.api-key.changed` before it answers, so ingresses reload and drop cached key decisions (which
 * carry the active profile) without a restart.
 */
@Controller()
export class RoutingAdminController {
  private readonly profiles: ProfileAdminStore;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly snapshots: RoutingSnapshotService,
  ) {
    this.profiles = new ProfileAdminStore(dataSource);
  }

  @MessagePattern(AdminSubjects.listProfiles)
  list(@Payload() ref: ApiKeyRef): Promise<AdminReply<ProfileView[]>> {
    return toAdminReply(() => this.profiles.list(ref));
  }

  @MessagePattern(AdminSubjects.getProfile)
  get(@Payload() ref: ProfileRef): Promise<AdminReply<ProfileView>> {
    return toAdminReply(() => this.profiles.get(ref));
  }

  @MessagePattern(AdminSubjects.putProfile)
  put(@Payload() command: PutProfileCommand): Promise<AdminReply<ProfileView>> {
    return toAdminReply(() => this.thenPublish(this.profiles.put(command)));
  }

  @MessagePattern(AdminSubjects.deleteProfile)
  delete(@Payload() ref: ProfileRef): Promise<AdminReply<null>> {
    return toAdminReply(() => this.thenPublish(this.profiles.delete(ref).then(() => null)));
  }

  @MessagePattern(AdminSubjects.setActiveProfile)
  setActive(@Payload() command: SetActiveProfileCommand): Promise<AdminReply<ApiKeyView>> {
    return toAdminReply(() => this.thenPublish(this.profiles.setActive(command)));
  }

  @MessagePattern(AdminSubjects.dryRun)
  dryRun(@Payload() command: DryRunCommand): Promise<AdminReply<DryRunView>> {
    return toAdminReply(() => this.profiles.dryRun(command, this.cipher));
  }

  private async thenPublish<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.snapshots.publishChanged('profiles');
    return result;
  }
}
