/**
 * The configuration file's `segments` key: the names of the primary estimator's segments, by label,
 * `{ "names": { "0": "High BALANCE · frequent CASH_ADVANCE", "1": "Transactors" } }`. Validated here (the
 * configuration module lets `segments` through as it is); a bad field is named by its path.
 */
import { ConfigError } from '../config/config.ts';

export const MAX_NAME_LENGTH = 120;

export interface SegmentsConfig {
  names: Record<number, string>;
}

export function parseSegmentsConfig(v: unknown): SegmentsConfig | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError('segments', 'segments must be an object like { "names": { "0": "…" } }');
  const keys = Object.keys(v);
  const extra = keys.find((k) => k !== 'names');
  if (extra !== undefined) throw new ConfigError(`segments.${extra}`, `segments has an unknown key "${extra}" (allowed: names)`);
  const names = (v as Record<string, unknown>).names;
  if (names === undefined) return { names: {} };
  if (typeof names !== 'object' || names === null || Array.isArray(names)) {
    throw new ConfigError('segments.names', 'segments.names must be an object from segment label to name, like { "0": "…" }');
  }
  const out: Record<number, string> = {};
  for (const [k, name] of Object.entries(names)) {
    const field = `segments.names.${k}`;
    if (!/^(0|[1-9]\d{0,5})$/.test(k)) throw new ConfigError(field, `segment labels are whole numbers 0, 1, 2 … (got "${k}")`);
    if (typeof name !== 'string') throw new ConfigError(field, `the name of segment ${k} must be text (got ${JSON.stringify(name)})`);
    const t = name.trim();
    if (t === '') throw new ConfigError(field, `the name of segment ${k} is empty`);
    if (t.length > MAX_NAME_LENGTH) throw new ConfigError(field, `the name of segment ${k} is longer than ${MAX_NAME_LENGTH} characters`);
    out[Number(k)] = t;
  }
  return { names: out };
}

/** The `segments` value to write, labels as keys in ascending order. */
export function segmentsConfig(names: Record<number, string>): SegmentsConfig {
  const sorted: Record<number, string> = {};
  for (const k of Object.keys(names).map(Number).sort((a, b) => a - b)) sorted[k] = names[k];
  return { names: sorted };
}
