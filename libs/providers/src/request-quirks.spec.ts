import { WarningCollector } from '@gw/ir';
import { rejectedParameters, warnDropped, withoutParameters } from './request-quirks';

describe('request quirks', () => {
  it('drops the fields a vendor rejects, warning only for those the client sent', () => {
    const body = { model: 'm', logprobs: true, top_logprobs: 2, messages: [] };
    const dropped = rejectedParameters(body, { rejectedParameters: ['logprobs', 'logit_bias', 'top_logprobs'] }, body);
    expect(dropped).toEqual([
      { name: 'logprobs', warn: true },
      { name: 'top_logprobs', warn: true },
    ]);
    expect(withoutParameters(body, dropped)).toEqual({ model: 'm', messages: [] });
    expect(body).toHaveProperty('logprobs', true); // the input is left as it is
  });

  it('stream_options the gateway added is dropped silently; the client’s own is dropped with a warning', () => {
    const upstreamBody = { model: 'm', stream: true, stream_options: { include_usage: true } };
    expect(rejectedParameters(upstreamBody, { rejectsStreamOptions: true }, new Set(['model', 'stream']))).toEqual([
      { name: 'stream_options', warn: false },
    ]);
    expect(rejectedParameters(upstreamBody, { rejectsStreamOptions: true }, { stream_options: {} })).toEqual([
      { name: 'stream_options', warn: true },
    ]);
    expect(rejectedParameters(upstreamBody, {}, upstreamBody)).toEqual([]);
  });
});

describe('quirks on the wire', () => {
  it('warns only for fields the client sent, in words that name the field', () => {
    const warnings = new WarningCollector();
    warnDropped(
      [
        { name: 'logit_bias', warn: true },
        { name: 'stream_options', warn: false },
      ],
      warnings,
    );
    expect(warnings.list).toEqual([
      { code: 'parameter_dropped', message: "'logit_bias' is rejected by this channel's provider and was not sent" },
    ]);
  });
});
