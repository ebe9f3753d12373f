import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TraceSubjects, type RequestFinishedEvent } from '@gw/contracts';
import { RequestLogWriter } from './request-log.writer';

/** Embedded mode: trace events arrive over the in-process bus (there is no JetStream in one process). */
@Controller()
export class TraceEventsController {
  private readonly logger = new Logger(TraceEventsController.name);

  constructor(private readonly writer: RequestLogWriter) {}

  @EventPattern(TraceSubjects.requestFinished)
  async onRequestFinished(@Payload() event: RequestFinishedEvent): Promise<void> {
    try {
      await this.writer.write(event);
    } catch (error) {
      this.logger.error(`Request log ${event.requestId} not written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
