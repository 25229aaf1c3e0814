// Rate-limit presets by provider tier and mode (the original Hephaestus table): the tier sets
// requests per minute, the mode how many calls may run at once. Explicit numbers override.
import type { Config } from '../config/schema.js';

export type RateLimitTier = Config['llm']['rateLimit']['tier'];
export type RateLimitMode = Config['llm']['rateLimit']['mode'];

export interface RateLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  maxConcurrent: number;
}

export const RATE_LIMIT_PRESETS: Record<RateLimitTier, { requestsPerMinute: number; maxConcurrent: Record<RateLimitMode, number> }> = {
  tier1: { requestsPerMinute: 50, maxConcurrent: { conservative: 3, balanced: 4, aggressive: 5 } },
  tier2: { requestsPerMinute: 1_000, maxConcurrent: { conservative: 10, balanced: 15, aggressive: 20 } },
  tier3: { requestsPerMinute: 2_000, maxConcurrent: { conservative: 15, balanced: 20, aggressive: 30 } },
  tier4: { requestsPerMinute: 4_000, maxConcurrent: { conservative: 20, balanced: 30, aggressive: 40 } },
};

export function rateLimitsOf(rateLimit: Config['llm']['rateLimit']): RateLimits {
  const preset = RATE_LIMIT_PRESETS[rateLimit.tier];
  return {
    requestsPerMinute: rateLimit.requestsPerMinute ?? preset.requestsPerMinute,
    tokensPerMinute: rateLimit.tokensPerMinute,
    maxConcurrent: rateLimit.maxConcurrent ?? preset.maxConcurrent[rateLimit.mode],
  };
}
