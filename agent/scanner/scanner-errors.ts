// Failure kinds of the scanner's API. Problems with single files (unreadable, binary, too large)
// are not errors: those files are listed with a status instead.
import { HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

/** A caller passed a path the scanner cannot use (absolute, outside the repository). */
export class ScanInputError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('SCAN_INPUT_INVALID', message, options);
  }
}
