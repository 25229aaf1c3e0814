// The `fetch` the provider SDKs use: a reply body is counted while it streams in, and reading
// stops (the connection is dropped) as soon as it passes `llm.maxReplyBytes`, so a broken or
// hostile endpoint cannot make the agent hold an unbounded body in memory.

/** The reply body passed the cap; the SDK call fails with it (classified as not worth retrying). */
export class ReplyTooLargeError extends Error {
  override name = 'ReplyTooLargeError';

  constructor(readonly maxBytes: number, declaredBytes: number | null) {
    super(`the reply is larger than ${maxBytes} bytes (llm.maxReplyBytes)${declaredBytes === null ? '; reading stopped there' : `: it declares ${declaredBytes} bytes`}`);
  }
}

export function boundedFetch(maxBytes: number, fetchImplementation: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImplementation(input, init);
    if (response.body === null) return response;
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    let received = 0;
    // An error in the transform cancels the source, which ends the connection.
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        start(controller) {
          if (Number.isFinite(declared) && declared > maxBytes) controller.error(new ReplyTooLargeError(maxBytes, declared));
        },
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) controller.error(new ReplyTooLargeError(maxBytes, null));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
