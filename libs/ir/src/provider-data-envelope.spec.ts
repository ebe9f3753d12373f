import { providerDataEnvelope, providerDataFromEnvelope } from './provider-data-envelope';

describe('provider data envelope', () => {
  it("carries other issuers' data and gives it back, never the own issuer's", () => {
    const envelope = providerDataEnvelope({ gemini: { thoughtSignature: 'g' }, anthropic: { signature: 'a' } }, 'gemini');
    expect(envelope).toMatch(/^axonhub-pd1\./);
    expect(providerDataFromEnvelope(envelope ?? '', 'gemini')).toEqual({ anthropic: { signature: 'a' } });
    expect(providerDataEnvelope({ gemini: { thoughtSignature: 'g' } }, 'gemini')).toBeUndefined();
    const forged = `axonhub-pd1.${Buffer.from(JSON.stringify({ gemini: { thoughtSignature: 'x' } })).toString('base64url')}`;
    expect(providerDataFromEnvelope(forged, 'gemini')).toBeUndefined();
  });

  it('reads anything else as no envelope', () => {
    expect(providerDataFromEnvelope('EqsFCqgF', 'gemini')).toBeUndefined();
    expect(providerDataFromEnvelope('axonhub-pd1.!!!', 'gemini')).toBeUndefined();
    expect(providerDataFromEnvelope(`axonhub-pd1.${Buffer.from('[1]').toString('base64url')}`, 'gemini')).toBeUndefined();
  });
});
