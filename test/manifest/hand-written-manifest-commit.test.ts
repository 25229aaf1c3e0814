// A cycle's commit keeps the repository's manifest in sync only where it is Hephaestus's to
// write: a tracked hand-written AGENTS.md is committed unchanged, while one with begin/end
// markers gets the new map between them and keeps every hand-written line around them.
import { describe, expect, it } from 'vitest';
import { REGION_BEGIN, REGION_END } from '../../agent/manifest/manifest-ownership.js';
import { makeNodeProject, planReply, plans, runAgent, scriptRoles, useCycleBench } from '../cycle/cycle-kit.js';

const bench = useCycleBench();
const RULES = '# Rules\n\nAlways run npm test. Use tabs.\n';
const OBJECTIVE = 'Add a subtract function to src/math.js';

describe('a cycle commit and a tracked hand-written AGENTS.md', () => {
  it('commits the change and leaves the hand-written AGENTS.md exactly as it was', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('AGENTS.md', RULES);
    await repo.commitAll('hand-written rules');
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const summary = await runAgent(repo.root, { objective: OBJECTIVE });
    expect(summary.cycles[0]!.outcome).toBe('committed');
    expect(summary.cycles[0]!.files).toEqual(['src/math.js']);
    expect(await repo.git('show', 'hephaestus/evolve:AGENTS.md')).toBe(RULES.trimEnd());
  });

  it('updates only the map between the begin/end markers', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('AGENTS.md', `${RULES}\n${REGION_BEGIN}\nold map\n${REGION_END}\n\nMore rules after the map.\n`);
    await repo.commitAll('rules with a map region');
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const summary = await runAgent(repo.root, { objective: OBJECTIVE });
    expect(summary.cycles[0]!.outcome).toBe('committed');
    expect(summary.cycles[0]!.files).toEqual(['AGENTS.md', 'src/math.js']);
    const committed = await repo.git('show', 'hephaestus/evolve:AGENTS.md');
    expect(committed.startsWith(`${RULES}\n${REGION_BEGIN}\n# AGENTS.md\n`)).toBe(true);
    expect(committed.endsWith(`${REGION_END}\n\nMore rules after the map.`)).toBe(true);
    expect(committed).toContain('subtract');
    expect(committed).not.toContain('old map');
  });
});
