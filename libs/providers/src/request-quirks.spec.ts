import { rejectedParameters, withoutParameters } from './request-quirks';

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
