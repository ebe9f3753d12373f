import { warnForeignProviderData } from './provider-data';
import type { IrRequest } from './request';
import { WarningCollector } from './warnings';

describe('warnForeignProviderData', () => {
  const request: IrRequest = {
    model: 'm',
    stream: false,
    providerData: { anthropic: { context_management: { edits: [] } } },
    tools: [{ kind: 'function', name: 'f', providerData: { anthropic: { cache_control: { type: 'ephemeral' } } } }],
    items: [
      {
        kind: 'message',
        role: 'user',
        content: [{ type: 'text', text: 'a', providerData: { anthropic: { cache_control: { type: 'ephemeral' } } } }],
      },
      { kind: 'reasoning', text: 't', providerData: { anthropic: { signature: 's' }, 'openai-responses': { encryptedContent: 'e' } } },
    ],
  };

  it('warns once per foreign issuer and key, counting repeats, and never about the target issuer', () => {
    const warnings = new WarningCollector();
    warnForeignProviderData(request, 'openai-responses', 'a Responses', warnings);
    expect(warnings.list.map((warning) => warning.message)).toEqual([
      "anthropic 'context_management' cannot be sent to a Responses upstream",
      "anthropic 'cache_control' (2×) cannot be sent to a Responses upstream",
      "anthropic 'signature' cannot be sent to a Responses upstream",
    ]);
    expect(warnings.list.every((warning) => warning.code === 'content_dropped')).toBe(true);
  });

  it('says nothing when all the data is the target issuer’s', () => {
    const warnings = new WarningCollector();
    warnForeignProviderData({ ...request, items: [request.items[0]!] }, 'anthropic', 'an Anthropic', warnings);
    expect(warnings.list).toEqual([]);
  });
});
