// A provider-independent token estimate (about four characters per token) for the rate
// limiter's reservations and for replies that report no usage.
export function estimateTokens(...texts: string[]): number {
  let characters = 0;
  for (const text of texts) characters += text.length;
  return Math.ceil(characters / 4);
}
