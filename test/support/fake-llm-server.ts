// A fake LLM server for tests and benchmarks: a real node:http server on 127.0.0.1 (random
// port) speaking the OpenAI and Anthropic wire protocols, so the real SDKs talk to it.
//
//   const server = await startFakeLlmServer();
//   // provider openai:    llm.baseUrl = server.openaiBaseUrl    (POST {url}/v1/chat/completions)
//   // provider anthropic: llm.baseUrl = server.anthropicBaseUrl (POST {url}/v1/messages)
//   server.enqueue({ text: '{"strategy":"SYNTAX_ONLY"}' });            // replies are served in order
//   server.enqueue({ fault: 'rate-limit', retryAfterSeconds: 2 }, { text: 'ok', latencyMs: 300 });
//   server.respondWith((request) => ({ text: `echo ${request.lastUserMessage}` })); // when the queue is empty
//   server.requests[0]   // { protocol, method, path, headers, body, time, model, system, lastUserMessage }
//   await server.close();
//
// Faults: `rate-limit` (429 + Retry-After), `server-error` (500 or `status`), `status` (any
// error status with a provider-shaped body, e.g. 401 or 404), `hang` (never answers; ends when
// the client aborts or the server closes), `malformed-json` (200 with truncated JSON),
// `empty-body` (200, no bytes), `connection-reset` (the socket is destroyed), `huge-body` (200,
// a body of `bytes` bytes streamed with backpressure until the client stops reading;
// `bytesStreamed()` says how much of it was written).
// Without a queued reply or a handler the server answers "fake reply #<n>".
// `usage.cachedInputTokens` / `cacheWriteTokens` are reported the way each provider does
// (OpenAI prompt_tokens_details.cached_tokens within prompt_tokens; Anthropic
// cache_read_input_tokens / cache_creation_input_tokens besides input_tokens).
// `refuseStructuredOutput: true` answers 400 to any request carrying a JSON Schema
// (OpenAI response_format json_schema, Anthropic output_config.format), like an older
// compatible server; such requests are still recorded.
// `clock` stamps the recorded request times, so a test can share a manual clock with the client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeFault =
  | { fault: 'rate-limit'; retryAfterSeconds?: number }
  | { fault: 'server-error'; status?: number }
  | { fault: 'status'; status: number; message?: string }
  | { fault: 'hang' }
  | { fault: 'malformed-json' }
  | { fault: 'empty-body' }
  | { fault: 'connection-reset' }
  /** 200, a body of about `bytes` bytes streamed in 64 KiB chunks (with content-length only when `declareLength`). */
  | { fault: 'huge-body'; bytes: number; declareLength?: boolean };

export interface FakeText {
  text: string;
  /** Reported usage; defaults to about one token per four characters. inputTokens counts cached ones too. */
  usage?: { inputTokens?: number; outputTokens?: number; cachedInputTokens?: number; cacheWriteTokens?: number };
  /** Model name in the reply; defaults to the requested model. */
  model?: string;
}

/** A scripted reply; `latencyMs` delays it (real time). */
export type FakeReply = (FakeText | FakeFault) & { latencyMs?: number };

export type FakeProtocol = 'openai' | 'anthropic';

export interface RecordedRequest {
  /** 0-based order of arrival. */
  index: number;
  protocol: FakeProtocol;
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body (null when it was not JSON). */
  body: any;
  rawBody: string;
  /** `clock.now()` when the request arrived. */
  time: number;
  model: string | null;
  system: string;
  /** Text of the last user message, the usual thing to script on. */
  lastUserMessage: string;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeLlmServerOptions {
  /** Latency of replies that set none (default 0). */
  defaultLatencyMs?: number;
  clock?: { now(): number };
  /** Answer 400 to requests with a structured-output schema. */
  refuseStructuredOutput?: boolean;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** llm.baseUrl for provider openai: `${url}/v1`. */
  readonly openaiBaseUrl: string;
  /** llm.baseUrl for provider anthropic: `${url}` (the SDK adds /v1/messages). */
  readonly anthropicBaseUrl: string;
  readonly requests: readonly RecordedRequest[];
  enqueue(...replies: FakeReply[]): void;
  /** Answers requests when the queue is empty. */
  respondWith(handler: FakeHandler): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Bytes of huge-body replies written to clients so far. */
  bytesStreamed(): number;
  /** Empties the queue, the handler and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const clock = options.clock ?? { now: () => Date.now() };
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let handler: FakeHandler | null = null;
  let streamed = 0;

  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const protocol = protocolOf(incoming.method ?? '', incoming.url ?? '');
      if (protocol === null) {
        sendJson(outgoing, 404, { error: { message: `fake LLM server: no route for ${incoming.method} ${incoming.url}` } });
        return;
      }
      const recorded = recordRequest(requests.length, protocol, incoming, rawBody, clock.now());
      requests.push(recorded);
      for (const waiter of waiters.filter((candidate) => requests.length >= candidate.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      void answer(recorded, outgoing);
    });
  });

  async function answer(request: RecordedRequest, outgoing: http.ServerResponse): Promise<void> {
    if (options.refuseStructuredOutput && hasStructuredOutput(request)) {
      sendJson(outgoing, 400, errorBody(request.protocol, 'invalid_request_error', 'response_format json_schema is not supported (fake)'));
      return;
    }
    const reply = queue.shift() ?? (handler === null ? { text: `fake reply #${request.index}` } : await handler(request));
    const latencyMs = reply.latencyMs ?? options.defaultLatencyMs ?? 0;
    if (latencyMs > 0) {
      const gone = await waitOrClientGone(latencyMs, outgoing);
      if (gone) return;
    }
    if ('text' in reply) {
      sendJson(outgoing, 200, successBody(request, reply), { 'x-request-id': `req_fake_${request.index}` });
      return;
    }
    switch (reply.fault) {
      case 'rate-limit':
        sendJson(outgoing, 429, errorBody(request.protocol, 'rate_limit_error', 'Rate limit reached (fake)'), { 'retry-after': String(reply.retryAfterSeconds ?? 1) });
        return;
      case 'server-error':
        sendJson(outgoing, reply.status ?? 500, errorBody(request.protocol, 'api_error', 'Internal server error (fake)'));
        return;
      case 'status':
        sendJson(outgoing, reply.status, errorBody(request.protocol, 'invalid_request_error', reply.message ?? `Status ${reply.status} (fake)`));
        return;
      case 'hang':
        return; // the client aborts, or close() destroys the connection
      case 'malformed-json':
        outgoing.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"fake","choices":[{"message":{"content":"tru');
        return;
      case 'empty-body':
        outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end();
        return;
      case 'connection-reset':
        outgoing.socket?.destroy();
        return;
      case 'huge-body':
        streamed += await streamHugeBody(outgoing, reply.bytes, reply.declareLength ?? false);
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    bytesStreamed: () => streamed,
    respondWith(next) {
      handler = next;
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
      handler = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function protocolOf(method: string, url: string): FakeProtocol | null {
  if (method !== 'POST') return null;
  const path = url.split('?')[0];
  if (path === '/v1/chat/completions') return 'openai';
  if (path === '/v1/messages') return 'anthropic';
  return null;
}

function recordRequest(index: number, protocol: FakeProtocol, incoming: http.IncomingMessage, rawBody: string, time: number): RecordedRequest {
  let body: any = null;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Recorded raw; the reply is still scripted.
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : (value ?? '');
  const messages: Array<{ role: string; content: unknown }> = Array.isArray(body?.messages) ? body.messages : [];
  const system = protocol === 'anthropic' ? textOf(body?.system) : textOf(messages.find((message) => message.role === 'system')?.content);
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return {
    index,
    protocol,
    method: incoming.method ?? '',
    path: incoming.url ?? '',
    headers,
    body,
    rawBody,
    time,
    model: typeof body?.model === 'string' ? body.model : null,
    system,
    lastUserMessage: textOf(lastUser?.content),
  };
}

function hasStructuredOutput(request: RecordedRequest): boolean {
  return request.body?.response_format?.type === 'json_schema' || request.body?.output_config?.format !== undefined;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function successBody(request: RecordedRequest, reply: FakeText): unknown {
  const model = reply.model ?? request.model ?? 'fake-model';
  const inputTokens = reply.usage?.inputTokens ?? Math.max(1, Math.ceil(request.rawBody.length / 4));
  const outputTokens = reply.usage?.outputTokens ?? Math.max(1, Math.ceil(reply.text.length / 4));
  const cachedInputTokens = reply.usage?.cachedInputTokens ?? 0;
  const cacheWriteTokens = reply.usage?.cacheWriteTokens ?? 0;
  if (request.protocol === 'anthropic') {
    return {
      id: `msg_fake_${request.index}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: reply.text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: inputTokens - cachedInputTokens - cacheWriteTokens, output_tokens: outputTokens, cache_read_input_tokens: cachedInputTokens, cache_creation_input_tokens: cacheWriteTokens },
    };
  }
  return {
    id: `chatcmpl-fake-${request.index}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens, prompt_tokens_details: { cached_tokens: cachedInputTokens } },
  };
}

function errorBody(protocol: FakeProtocol, type: string, message: string): unknown {
  return protocol === 'anthropic' ? { type: 'error', error: { type, message } } : { error: { message, type, code: null, param: null } };
}

function sendJson(outgoing: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (outgoing.destroyed) return;
  outgoing.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Waits `ms`; true when the client went away first (then nothing should be written). */
function waitOrClientGone(ms: number, outgoing: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(!outgoing.writableFinished);
    };
    const timer = setTimeout(() => {
      outgoing.off('close', onClose);
      resolve(false);
    }, ms);
    outgoing.once('close', onClose);
  });
}

/** Writes `bytes` bytes (a JSON object with one long string) with backpressure; resolves with
 *  the bytes written when done or when the client went away. */
async function streamHugeBody(outgoing: http.ServerResponse, bytes: number, declareLength: boolean): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const head = Buffer.from('{"id":"huge","choices":[{"message":{"content":"');
  outgoing.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(bytes) } : {}) });
  let written = 0;
  const write = (data: Buffer) =>
    new Promise<boolean>((resolve) => {
      if (outgoing.destroyed) return resolve(false);
      written += data.length;
      if (outgoing.write(data)) return resolve(true);
      const done = (open: boolean) => () => {
        outgoing.off('drain', onDrain);
        outgoing.off('close', onClose);
        resolve(open);
      };
      const onDrain = done(true);
      const onClose = done(false);
      outgoing.once('drain', onDrain);
      outgoing.once('close', onClose);
    });
  if (!(await write(head))) return written;
  while (written + chunk.length <= bytes) {
    if (!(await write(chunk))) return written;
  }
  outgoing.end(Buffer.alloc(Math.max(0, bytes - written), 'a'));
  return bytes;
}
