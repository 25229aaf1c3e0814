// Which provider a task runs with: its own (the first of `providers`, replay when absent) unless
// one is chosen; a chosen provider the task is not meant for leaves it out, with the reason.
import { describe, expect, it } from 'vitest';
import { providerFor } from '../../agent/eval/run-eval.js';
import type { EvalTask } from '../../agent/eval/task-schema.js';

const task = (providers?: Array<'replay' | 'offline'>) => ({ name: 't', ...(providers ? { providers } : {}) }) as EvalTask;

describe('providerFor', () => {
  it('runs each task with its own provider when none is chosen', () => {
    expect([providerFor(task(), null), providerFor(task(['offline']), null), providerFor(task(['replay', 'offline']), null)]).toEqual([
      { provider: 'replay' },
      { provider: 'offline' },
      { provider: 'replay' },
    ]);
  });

  it('leaves out the tasks a chosen provider is not meant for; real models play the replay tasks', () => {
    expect([
      providerFor(task(['replay']), 'offline'),
      providerFor(task(['offline']), 'replay'),
      providerFor(task(['replay']), 'openai'),
      providerFor(task(['offline']), 'anthropic'),
      providerFor(task(), 'anthropic'),
    ]).toEqual([
      { skip: 'meant for replay, not offline' },
      { skip: 'meant for offline, not replay' },
      { provider: 'openai' },
      { skip: 'meant for offline, not anthropic' },
      { provider: 'anthropic' },
    ]);
  });
});
