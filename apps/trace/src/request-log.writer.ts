import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, type RequestFinishedEvent } from '@gw/contracts';
import { RequestLogStore } from '@gw/persistence';

/** Writes one request-log row per finished request. Idempotent on request id (events may be redelivered). */
@Injectable()
export class RequestLogWriter {
  private readonly store: RequestLogStore;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    this.store = new RequestLogStore(dataSource);
  }

  write(event: RequestFinishedEvent): Promise<void> {
    return this.store.insert(event);
  }
}
