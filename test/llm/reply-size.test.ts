// A provider reply is counted while it streams in: past llm.maxReplyBytes the call fails with a
// clear error, without retrying, and the client stops reading (the server could only write a
// small part of the body it wanted to send).
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, clientFor, errorOf } from './llm-test-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(async () => server.close());
beforeEach(() => server.reset());

const CAP = 1024 * 1024;
const HUGE = 2 * 1024 * 1024 * 1024;

describe.each(['openai', 'anthropic'] as const)('reply size cap over %s', (provider) => {
  test('a 2 GiB streamed body fails at the cap with LLM_UNAVAILABLE, in one attempt, having read little of it', async () => {
    const { client } = await clientFor(server, { maxReplyBytes: CAP }, { provider });
    server.enqueue({ fault: 'huge-body', bytes: HUGE }, { text: 'never asked for' });

    const failure = await errorOf(client.complete(ask('plan')));

    expect({ code: failure.code, attempts: failure.details.attempts, kind: failure.details.kind }).toEqual({ code: 'LLM_UNAVAILABLE', attempts: 1, kind: 'too-large' });
    expect(failure.message).toContain('the reply is larger than 1048576 bytes (llm.maxReplyBytes); reading stopped there');
    expect(server.requests).toHaveLength(1);
    // What the client let through, plus socket buffers: far from the 2 GiB on offer.
    expect(server.bytesStreamed()).toBeLessThan(64 * 1024 * 1024);
    await client.close();
  });

  test('a body that declares a length over the cap is refused before it is read', async () => {
    const { client } = await clientFor(server, { maxReplyBytes: CAP }, { provider });
    server.enqueue({ fault: 'huge-body', bytes: HUGE, declareLength: true });

    const failure = await errorOf(client.complete(ask('plan')));

    expect(failure.code).toBe('LLM_UNAVAILABLE');
    expect(failure.message).toContain(`the reply is larger than 1048576 bytes (llm.maxReplyBytes): it declares ${HUGE} bytes`);
    expect(server.bytesStreamed()).toBeLessThan(64 * 1024 * 1024);
    await client.close();
  });

  test('a reply under the cap is read as usual', async () => {
    const { client } = await clientFor(server, { maxReplyBytes: CAP }, { provider });
    server.enqueue({ text: 'x'.repeat(100_000) });

    const result = await client.complete(ask('plan'));

    expect(result.text).toHaveLength(100_000);
    await client.close();
  });
});
