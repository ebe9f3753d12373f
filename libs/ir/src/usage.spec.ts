import { mergeUsage } from './usage';

describe('mergeUsage', () => {
  it('keeps the counts an update does not name and recomputes the total (Anthropic: input at start, output at the end)', () => {
    const atStart = mergeUsage(undefined, { inputTokens: 120, cachedInputTokens: 100, cacheWriteInputTokens: 0 });
    expect(atStart).toEqual({ inputTokens: 120, outputTokens: 0, totalTokens: 120, cachedInputTokens: 100, cacheWriteInputTokens: 0 });
    const atEnd = mergeUsage(atStart, { outputTokens: 30 });
    expect(atEnd).toEqual({ inputTokens: 120, outputTokens: 30, totalTokens: 150, cachedInputTokens: 100, cacheWriteInputTokens: 0 });
  });

  it('lets a later count replace an earlier one instead of adding to it', () => {
    const merged = mergeUsage({ inputTokens: 43, outputTokens: 1, totalTokens: 44 }, { inputTokens: 61, outputTokens: 2 });
    expect(merged).toEqual({ inputTokens: 61, outputTokens: 2, totalTokens: 63 });
  });
});
