// Child process of the cache tests: one complete() against the fake server with the
// persistent cache in the given state dir; prints the result as JSON on stdout.
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import { ask, keysFor, silentLogger } from './llm-test-kit.js';
import { configSchema } from '../../agent/config/schema.js';

const [stateDir, baseUrl, prompt] = process.argv.slice(2);
if (stateDir === undefined || baseUrl === undefined || prompt === undefined) throw new Error('usage: complete-once-child.ts STATE_DIR BASE_URL PROMPT');
const config = configSchema.parse({ llm: { provider: 'openai', baseUrl, models: { main: 'model-main', light: 'model-light' } } });
const client = await createLlmClient({ config, apiKeys: keysFor('openai'), stateDir, logger: silentLogger });
const result = await client.complete(ask(prompt));
await client.close();
process.stdout.write(JSON.stringify({ text: result.text, cached: result.cached, attempts: result.attempts }));
