// The jail of a step's commands, from `sandbox.*` config and the sandbox's boundaries: the
// worktree is the only writable place, its `.git` link is masked, the user's repository is
// hidden, linked paths are read-only. Steps add their own inputs (a build-info directory,
// variables) through `extra`.
import path from 'node:path';
import type { Config } from '../../agent/config/schema.js';
import { extendJail, type JailSettings, type StepLimits } from '../commands/jail-settings.js';
import type { StepContext } from './step.js';

const MEGABYTE = 1024 * 1024;

export interface JailInputs {
  writablePaths?: readonly string[];
  readOnlyPaths?: readonly string[];
  environment?: Readonly<Record<string, string>>;
}

export function stepJail(context: Pick<StepContext, 'sandbox' | 'config'>, extra: JailInputs = {}): JailSettings {
  const { sandbox } = context;
  const base: JailSettings = {
    ...configuredJail(context.config, sandbox.boundaries.hiddenPaths),
    writablePaths: [sandbox.root],
    readOnlyPaths: [...sandbox.boundaries.readOnlyPaths, ...context.config.sandbox.readOnlyPaths],
    maskedFiles: [path.join(sandbox.root, '.git')],
  };
  return extendJail(base, extra);
}

/** A jail with nothing writable yet: what config says, hiding `hiddenPaths`. */
export function configuredJail(config: Pick<Config, 'sandbox'>, hiddenPaths: readonly string[]): JailSettings {
  return {
    isolation: config.sandbox.isolation,
    network: config.sandbox.network,
    writablePaths: [],
    readOnlyPaths: [...config.sandbox.readOnlyPaths],
    hiddenPaths: [...hiddenPaths],
    maskedFiles: [],
    environment: { ...config.sandbox.env },
    limits: configuredLimits(config),
  };
}

export function configuredLimits(config: Pick<Config, 'sandbox'>): StepLimits {
  const { processes, fileSizeMb, memoryMb, mechanism } = config.sandbox.limits;
  return {
    mechanism,
    processes,
    fileSizeBytes: fileSizeMb === null ? null : fileSizeMb * MEGABYTE,
    memoryBytes: memoryMb === null ? null : memoryMb * MEGABYTE,
  };
}
