/** Test helper: runs `fn`, expects it to throw a DataError and returns it (for checks on its field and message). */
import { expect } from 'vitest';
import { DataError } from '../../workers/engine/errors.ts';

export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}
