// A provider wrapper that appends every request it forwards, with the reply or the error, to a
// JSON-lines file: the request log eval keeps for inspection. Cache hits never reach it.
import { appendFile } from 'node:fs/promises';
import type { LlmProvider } from '../llm/provider.js';

export interface RecordedRequest {
  purpose: string | null;
  /** The last message of the request (what the model was asked last). */
  lastMessage: string;
}

export interface RecordingProvider extends LlmProvider {
  /** The last request forwarded; null before the first. */
  lastRequest(): RecordedRequest | null;
}

export function recordRequests(provider: LlmProvider, file: string): RecordingProvider {
  let last: RecordedRequest | null = null;
  return {
    name: provider.name,
    url: provider.url,
    async send(request) {
      const { signal: _signal, ...sent } = request;
      const started = new Date();
      last = { purpose: request.purpose ?? null, lastMessage: request.messages.at(-1)?.content ?? '' };
      try {
        const reply = await provider.send(request);
        await appendFile(file, `${JSON.stringify({ at: started.toISOString(), request: sent, reply })}\n`);
        return reply;
      } catch (error) {
        await appendFile(file, `${JSON.stringify({ at: started.toISOString(), request: sent, error: (error as Error).message })}\n`);
        throw error;
      }
    },
    lastRequest: () => last,
  };
}
