// The replay model through the real LLM client: each role gets the task's next scripted reply,
// byte for byte; a role whose script is used up is refused (not retried) with the task and
// role named; the client's cache and meters apply as for any provider.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { createReplayProvider, REPLAY_MODEL, type ReplayScript } from '../../agent/eval/replay-provider.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import type { CompletionRequest, LlmClient } from '../../agent/llm/types.js';
import { createUsageMeter } from '../../agent/llm/usage-meter.js';
import { makeTempDir } from '../support/temp-repo.js';
import { silentLogger } from '../llm/llm-test-kit.js';

const FENCED_PLAN = 'Here is the plan; `lib/a.js` gets one more export.\n\n```json\n{\n  "analysis": "add it",\n  "patches": [{"operation": "INSERT", "file_path": "lib/a.js", "content": "```js\\nx\\n```"}]\n}\n```\n\nThat is all.  \n';
const REFLECTED_PLAN = '  {"analysis":"corrected",\t"patches":[]}\n\n';
const MAESTRO = '{"strategy": "FULL_VALIDATION", "reason": "tests"}';

const script: ReplayScript = {
  task: 'sample-task',
  source: '/corpus/tasks/sample-task.json',
  replies: { architect: [FENCED_PLAN, REFLECTED_PLAN], maestro: [MAESTRO], commit: ['feat: add it'] },
};

let stateDir: string | undefined;
let client: LlmClient | undefined;
afterEach(async () => {
  await client?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  client = undefined;
  stateDir = undefined;
});

async function replayClient(withCache = false) {
  const provider = createReplayProvider(script);
  if (withCache) stateDir = await makeTempDir('hephaestus-replay-');
  client = await createLlmClient({ config: configSchema.parse({}), apiKeys: { openai: null, anthropic: null }, stateDir: stateDir ?? null, logger: silentLogger, provider: provider });
  return { provider, client };
}

const request = (purpose: string, content = 'the prompt', extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  role: purpose === 'architect' || purpose === 'objective' ? 'main' : 'light',
  purpose,
  system: `You are the ${purpose}.`,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('the replay provider', () => {
  it('answers each role with its next scripted reply, verbatim, in order', async () => {
    const { provider, client } = await replayClient();
    expect(client.provider).toBe('replay');
    const texts = [
      (await client.complete(request('architect'))).text,
      (await client.complete(request('maestro'))).text,
      (await client.complete(request('architect', 'the reflection turn'))).text,
      (await client.complete(request('commit-message'))).text,
    ];
    expect(texts).toEqual([FENCED_PLAN, MAESTRO, REFLECTED_PLAN, 'feat: add it']);
    expect(provider.served()).toEqual({ objective: 0, architect: 2, maestro: 1, review: 0, commit: 1 });
  });

  it('refuses a role whose script is used up, naming the task and the role, without retrying', async () => {
    const { provider, client } = await replayClient();
    await client.complete(request('maestro'));
    const error = await client.complete(request('maestro', 'again')).then(
      () => null,
      (thrown: unknown) => thrown as { code: string; message: string; details: Record<string, unknown> },
    );
    expect(error?.code).toBe('LLM_REFUSED');
    expect(error?.details.attempts).toBe(1);
    expect(error?.message).toBe(
      'LLM declined the request: replay model "gpt-5-mini" at replay://sample-task (1 attempt): task "sample-task" has no scripted maestro reply left (all 1 were used); add one to replies.maestro in /corpus/tasks/sample-task.json.',
    );
    const none = await client.complete(request('review')).catch((thrown: Error) => thrown.message);
    expect(none).toBe(
      'LLM declined the request: replay model "gpt-5-mini" at replay://sample-task (1 attempt): task "sample-task" has no scripted review reply left (it scripts none); add one to replies.review in /corpus/tasks/sample-task.json.',
    );
    expect(provider.served().maestro).toBe(1);
  });

  it('a request whose signal has aborted is refused with HEPHAESTUS_ABORTED before any reply is used', async () => {
    const provider = createReplayProvider(script);
    const controller = new AbortController();
    controller.abort();
    const error = await provider
      .send({ model: REPLAY_MODEL, system: 'rules', messages: [{ role: 'user', content: 'x' }], temperature: 0, maxTokens: 100, responseFormat: 'json', signal: controller.signal, purpose: 'maestro' } as Parameters<typeof provider.send>[0])
      .then(() => null, (thrown: { code?: unknown }) => thrown.code);
    expect(error).toBe('HEPHAESTUS_ABORTED');
    expect(provider.served().maestro).toBe(0);
  });

  it('goes through the client cache and meters: a repeated request is a cache hit that uses no reply', async () => {
    const { provider, client } = await replayClient(true);
    const meter = createUsageMeter();
    const first = await client.complete(request('architect', 'same prompt', { meter }));
    const again = await client.complete(request('architect', 'same prompt', { meter }));
    const next = await client.complete(request('architect', 'a different prompt', { meter }));
    expect([first.text, first.cached, again.text, again.cached, next.text, next.cached]).toEqual([FENCED_PLAN, false, FENCED_PLAN, true, REFLECTED_PLAN, false]);
    expect(provider.served().architect).toBe(2);
    expect(meter.totals).toEqual({
      calls: 3,
      cacheHits: 1,
      cachedTokensIn: 0,
      tokensIn: first.usage.inputTokens + next.usage.inputTokens,
      tokensOut: Math.ceil(FENCED_PLAN.length / 4) + Math.ceil(REFLECTED_PLAN.length / 4),
      cost: 0,
    });
    expect(first.model).toBe('replay');
  });
});
