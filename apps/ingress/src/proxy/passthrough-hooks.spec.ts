import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../../../test/support/recordings';
import { passthroughHooks } from './passthrough-hooks';

const recording = (name: string): Buffer => readFileSync(join(fixturesRoot(), 'upstream', name));

describe('pass-through inspection points', () => {
  it('chat: points at the usage chunk at the end, not at the `"usage":null` of every chunk', () => {
    const stream = Buffer.from(
      'data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n' +
        'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\n' +
        'data: [DONE]\n\n',
    );
    const point = passthroughHooks['openai-chat'].inspectionPoint(stream);
    expect(stream.toString('utf8', 0, point)).toContain('"usage":null}\n\ndata: {"choices":[],');
    expect(passthroughHooks['openai-chat'].inspectionPoint(Buffer.from('data: {"choices":[],"usage":null}\n\n'))).toBe(-1);
  });

  it('chat: finds an in-stream error', () => {
    expect(passthroughHooks['openai-chat'].inspectionPoint(Buffer.from('data: {"error":{"message":"boom"}}\n\n'))).toBe(7);
  });

  it('responses: points at the terminal event of a recorded stream, none in the middle of it', () => {
    const stream = recording('openai-responses/stop.sse');
    const point = passthroughHooks['openai-responses'].inspectionPoint(stream);
    expect(stream.toString('utf8', point).startsWith('response.completed')).toBe(true);
    expect(passthroughHooks['openai-responses'].inspectionPoint(stream.subarray(0, 200))).toBe(-1);
  });
});
