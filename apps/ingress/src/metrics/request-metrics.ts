import { Inject, Injectable } from '@nestjs/common';
import type { RequestFinishedEvent } from '@gw/contracts';
import {
  DEFAULT_MAX_LABEL_SETS,
  LabelSets,
  OVERFLOW_LABEL_VALUE,
  type CounterSeries,
  type HistogramSeries,
  type LabelKey,
  type MetricsRegistry,
} from '@gw/metrics';
import { METRICS_REGISTRY } from '@gw/platform';

/**
 * Bucket bounds advised by the OpenTelemetry GenAI semantic conventions for these instruments.
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
 */
const DURATION_BUCKETS_S = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TTFT_BUCKETS_S = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/**
 * Labels of every request metric. `gen_ai_request_model` is the MAPPED model (what the channel was asked
 * for): it is bounded by the channels' model lists, whereas the requested name is whatever a client sends
 * (it stays in the request log and the span). Never a conversation, key or request id: those are unbounded.
 */
const REQUEST_LABELS = ['gen_ai_operation_name', 'gen_ai_request_model', 'channel', 'project', 'status', 'error_type'] as const;

/** Both inference endpoints are chat in the conventions' terms (the Responses API included). */
const OPERATION = 'chat';

/** The series one finished request updates, resolved once per distinct label set. */
interface RequestSeries {
  requests: CounterSeries;
  errors: CounterSeries;
  duration: HistogramSeries;
  timeToFirstToken: HistogramSeries;
  inputTokens: HistogramSeries;
  outputTokens: HistogramSeries;
}

/**
 * Request metrics of the ingress, recorded once per request from its finished event (the same object the
 * request log gets). The hot-path cost is one lookup in nested Maps keyed by the event's own values (no
 * string is built per request) and a few additions; a new label combination is resolved once.
 */
@Injectable()
export class RequestMetrics {
  private readonly series: LabelSets<RequestSeries>;
  /** Reused for every lookup: recording allocates nothing. */
  private readonly key: LabelKey[] = [OPERATION, null, null, null, 0, null];

  constructor(@Inject(METRICS_REGISTRY) registry: MetricsRegistry) {
    const labelNames = REQUEST_LABELS;
    const requests = registry.counter({ name: 'axonhub_requests_total', help: 'Inference requests finished, by outcome.', labelNames });
    const errors = registry.counter({
      name: 'axonhub_request_errors_total',
      help: 'Inference requests answered with an error status (4xx, 5xx, 499 when the client left).',
      labelNames,
    });
    const duration = registry.histogram({
      name: 'gen_ai_server_request_duration_seconds',
      help: 'gen_ai.server.request.duration: time from the request arriving to the last byte of its answer.',
      labelNames,
      buckets: DURATION_BUCKETS_S,
    });
    const timeToFirstToken = registry.histogram({
      name: 'gen_ai_server_time_to_first_token_seconds',
      help: 'gen_ai.server.time_to_first_token: time from the request arriving to the first bytes of a streamed answer.',
      labelNames,
      buckets: TTFT_BUCKETS_S,
    });
    const tokens = registry.histogram({
      name: 'gen_ai_client_token_usage',
      help: 'gen_ai.client.token.usage: tokens per request as the upstream reported them, by gen_ai_token_type (input, output).',
      labelNames: [...labelNames, 'gen_ai_token_type'],
      buckets: TOKEN_BUCKETS,
    });
    const overflowCount = registry.overflowCounterFor('axonhub_requests_total');
    const resolve = (values: readonly string[]): RequestSeries => ({
      requests: requests.labelsOf(values),
      errors: errors.labelsOf(values),
      duration: duration.labelsOf(values),
      timeToFirstToken: timeToFirstToken.labelsOf(values),
      inputTokens: tokens.labelsOf([...values, 'input']),
      outputTokens: tokens.labelsOf([...values, 'output']),
    });
    let overflowSeries: RequestSeries | undefined;
    this.series = new LabelSets<RequestSeries>(
      REQUEST_LABELS.length,
      (values) => resolve(values.map((value) => (value === null ? '' : String(value)))),
      DEFAULT_MAX_LABEL_SETS,
      () => {
        overflowCount.inc();
        overflowSeries ??= resolve(REQUEST_LABELS.map(() => OVERFLOW_LABEL_VALUE));
        return overflowSeries;
      },
    );
  }

  finished(event: RequestFinishedEvent): void {
    const key = this.key;
    key[1] = event.mappedModel;
    key[2] = event.channelName;
    key[3] = event.projectId;
    key[4] = event.status;
    key[5] = event.errorCode;
    const series = this.series.get(key);
    series.requests.inc();
    if (event.status >= 400) series.errors.inc();
    series.duration.observe(event.latencyMs / 1000);
    if (event.ttftMs !== null) series.timeToFirstToken.observe(event.ttftMs / 1000);
    if (event.inputTokens !== null) series.inputTokens.observe(event.inputTokens);
    if (event.outputTokens !== null) series.outputTokens.observe(event.outputTokens);
  }
}
