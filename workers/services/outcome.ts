import * as Comlink from 'comlink';
import type { ErrorInfo, Outcome } from '../../src/jobs/protocol.ts';
import { CancelledError, DataError, ParameterError } from '../engine/errors.ts';
import { ConfigError } from '../engine/config/config.ts';

/** Turns an engine exception into something that crosses postMessage intact. */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ParameterError) return { kind: 'parameter', field: e.param, message: e.message };
  if (e instanceof DataError) return { kind: 'data', field: e.field, message: e.message };
  if (e instanceof ConfigError) return { kind: 'config', field: e.field, message: e.message };
  if (e instanceof CancelledError) return { kind: 'cancelled', field: '', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', field: '', message };
}

/** Runs fn and answers an Outcome instead of throwing. */
export async function outcome<T>(fn: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: errorInfo(e) };
  }
}

/**
 * Runs fn and answers an Outcome whose typed arrays are transferred, not copied, to the main thread.
 * `buffers` picks them from the value; they must not be kept (or cached) by the worker.
 */
export async function transferredOutcome<T>(fn: () => T | Promise<T>, buffers: (value: T) => ArrayBufferLike[]): Promise<Outcome<T>> {
  const o = await outcome(fn);
  return o.ok ? Comlink.transfer(o, buffers(o.value) as Transferable[]) : o;
}
