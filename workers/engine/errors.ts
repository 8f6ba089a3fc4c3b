/**
 * Typed errors with a message for a person. `param` names the parameter (or input field) that caused it,
 * so the UI can show the message beside the control.
 */
export class ParameterError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.name = 'ParameterError';
    this.param = param;
  }
}

/** Bad input data (unreadable file, text column chosen as a feature, NaN …). `field` names the column or part. */
export class DataError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'DataError';
    this.field = field;
  }
}

/** Thrown by long loops when their AbortSignal fires. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError if the signal has fired. Cheap: call it in outer loops. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Formats a value for a message: numbers as written, strings quoted. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `name must be an integer >= min (got value)` style checks. */
export function checkInt(param: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ParameterError(param, `${param} must be an integer (got ${show(value)})`);
  }
  if (value < min) throw new ParameterError(param, `${param} must be >= ${min} (got ${value})`);
  if (value > max) throw new ParameterError(param, `${param} must be <= ${max} (got ${value})`);
  return value;
}

export function checkPositive(param: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParameterError(param, `${param} must be a finite number (got ${show(value)})`);
  }
  if (value <= 0) throw new ParameterError(param, `${param} must be > 0 (got ${value})`);
  return value;
}

export function checkOneOf<T extends string>(param: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ParameterError(param, `${param} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${show(value)})`);
  }
  return value as T;
}
