import { imageSourceFromUrl, imageUrl, providerDataOf, toolResultText } from './items';

describe('IR item helpers', () => {
  it('turns a base64 data URL into inline image data and back, and keeps other URLs as URLs', () => {
    const source = imageSourceFromUrl('data:image/png;base64,iVBORw0KGgo=');
    expect(source).toEqual({ type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' });
    expect(imageUrl(source)).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(imageSourceFromUrl('https://x/cat.png')).toEqual({ type: 'url', url: 'https://x/cat.png' });
    expect(imageSourceFromUrl('data:text/plain,hello')).toEqual({ type: 'url', url: 'data:text/plain,hello' });
  });

  it('reads provider data only under its issuer', () => {
    const item = { providerData: { anthropic: { signature: 'sig' } } };
    expect(providerDataOf(item, 'anthropic')).toEqual({ signature: 'sig' });
    expect(providerDataOf(item, 'gemini')).toBeUndefined();
  });

  it('joins the text of a tool result, leaving images out', () => {
    const text = toolResultText({
      kind: 'tool_result',
      callId: 'c',
      content: [
        { type: 'text', text: 'a' },
        { type: 'image', source: { type: 'url', url: 'u' } },
        { type: 'text', text: 'b' },
      ],
    });
    expect(text).toBe('ab');
  });
});
