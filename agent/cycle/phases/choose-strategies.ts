// The Maestro phase (DESIGN.md §1.5): one strategy per candidate, by rules, memory, then the
// light model (the planner's, when it has one).
import { selectStrategy, type StrategyChoice } from '../../maestro.js';
import type { UsageMeter } from '../../llm/types.js';
import type { ScanResult } from '../../scanner/scan-types.js';
import { createTestFileMatcher } from '../../scanner/test-files.js';
import type { CycleContext } from '../cycle-context.js';
import type { Candidate } from './validate-candidates.js';

export async function chooseStrategies(candidates: readonly Candidate[], scan: ScanResult, meter: UsageMeter, context: CycleContext): Promise<Map<Candidate, StrategyChoice>> {
  const baseFiles = new Set(scan.files.map((file) => file.path));
  const isTestFile = createTestFileMatcher(context.config.validation.tests.files);
  const choices = new Map<Candidate, StrategyChoice>();
  for (const candidate of candidates) {
    const choice = await selectStrategy(
      { changes: candidate.changes, baseFiles, analysis: candidate.analysis },
      { config: context.config, repoRoot: context.repoRoot, isTestFile, memory: context.memory, llm: context.planner.llm, logger: context.logger, signal: context.signal, meter, decisions: context.decisions },
    );
    context.logger.info({ strategy: choice.strategy, source: choice.source, reason: choice.reason }, 'strategy-chosen');
    choices.set(candidate, choice);
  }
  return choices;
}
