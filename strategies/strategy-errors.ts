// Failures of the strategy and step registries, each with a stable code.
import { HephaestusError, type HephaestusErrorOptions } from '../agent/core/errors.js';

export class UnknownStrategyError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('UNKNOWN_STRATEGY', message, options);
  }
}

export class UnknownStepError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('UNKNOWN_STEP', message, options);
  }
}
