/**
 * Column summaries and numeric parsing of a RawTable.
 *
 * Numbers: plain decimal or scientific notation ('12', '-0.5', '.5', '1e-3'), surrounding spaces allowed.
 * Missing: '' (or only spaces), 'NA', 'N/A', 'NaN', 'null' (any case).
 * Non-finite ('Infinity', '-inf', '1e999' ...): not missing and not valid; they count in n_non_numeric so that
 * choosing such a column as a feature gives a clear error naming the column and row.
 */
import { DataError } from '../errors.ts';
import type { RawTable } from './csv.ts';

export type ColumnKind = 'numeric' | 'identifier' | 'categorical' | 'text' | 'constant' | 'empty';

export interface ColumnSummary {
  name: string;
  kind: ColumnKind;
  n_missing: number;
  /** Non-missing cells that are not finite numbers (text, Infinity). */
  n_non_numeric: number;
  /** Distinct non-missing values (numbers compared as numbers when the column is all numbers, else as text). */
  n_unique: number;
  /** Statistics of the finite numbers, null when the column has text cells or no numbers. */
  min: number | null;
  median: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (ddof 1, as pandas' describe); null below 2 values. */
  std: number | null;
  /** First non-missing cell, as written. */
  example: string;
  /** Adjusted Fisher-Pearson skewness (pandas' skew); null below 3 values or with zero spread. */
  skewness: number | null;
}

const NUMBER_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NONFINITE_RE = /^\s*[+-]?(?:inf|infinity)\s*$/i;
const MISSING_WORDS = new Set(['na', 'n/a', 'nan', 'null']);

/** 10^0 ... 10^15, each an exact double. */
export const EXACT_POWERS_OF_10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/**
 * The value of a cell written as a plain decimal of at most 15 digits ('12', '-5.6022', '.5', '3.'; no exponent, no
 * spaces), else undefined. This is the shape of nearly every cell of a numeric file, and reading it here takes half the
 * time of the regex and Number(). The value is exactly Number(s): the digits form an integer below 2^53 and the divisor
 * is an exact power of ten, so the one rounded division is the correctly rounded decimal (Clinger's fast path).
 */
function plainDecimal(s: string): number | undefined {
  const n = s.length;
  const sign = s.charCodeAt(0);
  let i = sign === MINUS || sign === PLUS ? 1 : 0;
  let digits = 0;
  let fractionDigits = 0;
  let m = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
    digits++;
  }
  if (i < n && s.charCodeAt(i) === DOT) {
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i) - ZERO;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      fractionDigits++;
    }
    digits += fractionDigits;
  }
  if (i !== n || digits === 0 || digits > 15) return undefined;
  const v = m / EXACT_POWERS_OF_10[fractionDigits];
  return sign === MINUS ? -v : v;
}

/**
 * One cell: a finite number, NaN when missing, Infinity when a non-finite number, undefined when text.
 */
export function parseCell(s: string): number | undefined {
  if (s.length === 0) return NaN;
  const plain = plainDecimal(s);
  if (plain !== undefined) return plain;
  if (NUMBER_RE.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : Infinity;
  }
  const t = s.trim();
  if (t === '' || (t.length <= 4 && MISSING_WORDS.has(t.toLowerCase()))) return NaN;
  if (NONFINITE_RE.test(t)) return Infinity;
  return undefined;
}

/** True for a cell that counts as missing. */
export function isMissingCell(s: string): boolean {
  const v = parseCell(s);
  return v !== undefined && Number.isNaN(v);
}

function columnIndex(table: RawTable, name: string): number {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new DataError(name, `there is no column named "${name}" in ${table.name ? `"${table.name}"` : 'the data'}`);
  return j;
}

/** A column's cells parsed once: the number of each row (NaN when missing or text, Infinity when non-finite). */
interface ParsedColumn {
  values: Float64Array;
  /** First row holding text, or -1. */
  firstText: number;
  /** First row holding a non-finite number, or -1. */
  firstNonFinite: number;
  n_text: number;
  /** Median of the finite numbers, once the summary or columnMedian has sorted them. */
  median?: number;
  /** Known from reading the file: every non-missing cell is digits only; one of them has a leading zero. */
  digits?: { only: boolean; zero_padded: boolean };
}

/**
 * Parsed columns by their cell array: the summaries and the preprocessing read the same columns, and parsing is most of
 * the cost of loading a large file (1.7 million cells at 100,000 x 17).
 */
const parsedColumns = new WeakMap<string[], ParsedColumn>();

function parsedColumn(col: string[], n: number): ParsedColumn {
  let p = parsedColumns.get(col);
  if (p && p.values.length === n) return p;
  const values = new Float64Array(n);
  let firstText = -1;
  let firstNonFinite = -1;
  let n_text = 0;
  for (let i = 0; i < n; i++) {
    const v = parseCell(col[i]);
    if (v === undefined) {
      values[i] = NaN;
      n_text++;
      if (firstText < 0) firstText = i;
    } else {
      values[i] = v;
      if (v === Infinity && firstNonFinite < 0) firstNonFinite = i;
    }
  }
  p = { values, firstText, firstNonFinite, n_text };
  parsedColumns.set(col, p);
  return p;
}

/**
 * The numbers of a column whose cells the file reader found all plain decimals or empty (csv_scan.ts), so that
 * nothing reads the cells again to parse them.
 */
export function rememberNumbers(col: string[], numbers: { values: Float64Array; digits_only: boolean; zero_padded: boolean }): void {
  parsedColumns.set(col, {
    values: numbers.values,
    firstText: -1,
    firstNonFinite: -1,
    n_text: 0,
    digits: { only: numbers.digits_only, zero_padded: numbers.zero_padded },
  });
}

/**
 * A column as numbers, NaN where missing. Throws DataError (naming column, row and value) for text or non-finite cells.
 * The parsed column itself, shared by later calls (the summaries, the matrix): read it, never write it (a copy of every
 * column would be 13.6 MB of garbage at 100,000 x 17).
 */
export function numericColumn(table: RawTable, name: string): Float64Array {
  const col = table.cells[columnIndex(table, name)];
  const p = parsedColumn(col, table.n_rows);
  // the earlier of the two problems is reported, as a row-by-row scan would
  const text = p.firstText >= 0 && (p.firstNonFinite < 0 || p.firstText < p.firstNonFinite);
  if (p.firstText >= 0 && text) {
    const i = p.firstText;
    throw new DataError(name, `column "${name}" is not numeric: row ${i + 1} has the text ${JSON.stringify(col[i])}; choose numeric columns as features`);
  }
  if (p.firstNonFinite >= 0) {
    const i = p.firstNonFinite;
    throw new DataError(name, `column "${name}" has a value that is not a finite number on row ${i + 1}: ${JSON.stringify(col[i])}; fix or remove it`);
  }
  return p.values;
}

/**
 * Median of a column's finite numbers: for a column numericColumn accepts, the median of its non-missing values. Kept
 * from the column's summary, which sorts them anyway; else they are sorted here.
 */
export function columnMedian(table: RawTable, name: string): number {
  const p = parsedColumn(table.cells[columnIndex(table, name)], table.n_rows);
  if (p.median === undefined) {
    const values = p.values;
    const finite = new Float64Array(values.length);
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite[k++] = values[i];
    p.median = medianOfSorted(sortNumbers(finite.subarray(0, k)));
  }
  return p.median;
}

/** CUST_ID, cust id, ID, CustomerID, customerId (not 'Paid', 'valid'). */
function idLikeName(name: string): boolean {
  const t = name.trim();
  return /(?:^|[_\s.-])id$/i.test(t) || /^id$/i.test(t) || /[a-z0-9]I[dD]$/.test(t);
}
const DIGITS_RE = /^\d+$/;

/** Kind and statistics of every column. */
export function summarizeColumns(table: RawTable): ColumnSummary[] {
  // one buffer for every column's finite numbers: a fresh 800 KB at 100,000 rows costs more in page faults than its use
  const nums = new Float64Array(table.n_rows);
  return table.columns.map((name, j) => summarize(name, table.cells[j], table.n_rows, nums));
}

/** `nums`: room for n numbers, overwritten. */
function summarize(name: string, col: string[], n: number, nums: Float64Array): ColumnSummary {
  const parsed = parsedColumn(col, n);
  let n_num = 0;
  let n_missing = 0;
  let n_text = 0;
  let n_nonfinite = 0;
  let example = '';
  let haveExample = false;
  let integers = true;
  let increasing = true;
  let zeroPadded = false;
  let allDigits = true;
  let prev = -Infinity;
  const values = parsed.values;
  // the cells' text is read only where the reader has not already told what it holds
  const digitsKnown = parsed.digits !== undefined;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      // missing, or text (a text cell is never missing: parseCell)
      if (parsed.n_text === 0 || parseCell(col[i]) !== undefined) {
        n_missing++;
        continue;
      }
      if (!haveExample) {
        example = col[i];
        haveExample = true;
      }
      n_text++;
      continue;
    }
    if (!haveExample) {
      example = col[i];
      haveExample = true;
    }
    if (v === Infinity) {
      n_nonfinite++;
      integers = false;
      continue;
    }
    nums[n_num++] = v;
    if (!Number.isInteger(v)) integers = false;
    if (v <= prev) increasing = false;
    prev = v;
    if (allDigits && !digitsKnown) {
      const s = col[i];
      if (DIGITS_RE.test(s)) {
        if (s.length > 1 && s.charCodeAt(0) === 48) zeroPadded = true;
      } else allDigits = false;
    }
  }
  if (parsed.digits) {
    allDigits = parsed.digits.only;
    zeroPadded = parsed.digits.zero_padded;
  }
  const n_present = n - n_missing;
  const allNumeric = n_text === 0 && n_present > 0;

  let n_unique: number;
  let stats: NumberStats | null = null;
  if (allNumeric) {
    // the statistics of the finite numbers (which sorts them), the distinct ones counted in order, then the non-finite words
    const finite = nums.subarray(0, n_num);
    if (n_num > 0) {
      stats = numberStats(finite);
      parsed.median = stats.median;
    }
    let distinct = n_num > 0 ? 1 : 0;
    for (let i = 1; i < n_num; i++) if (finite[i] !== finite[i - 1]) distinct++;
    if (n_nonfinite > 0) {
      const words = new Set<string>();
      for (let i = 0; i < n; i++) if (values[i] === Infinity) words.add(col[i].trim().toLowerCase());
      distinct += words.size;
    }
    n_unique = distinct;
  } else {
    const set = new Set<string>();
    for (let i = 0; i < n; i++) {
      const s = col[i];
      const v = parseCell(s);
      if (v !== undefined && Number.isNaN(v)) continue;
      set.add(s);
    }
    n_unique = set.size;
  }

  let kind: ColumnKind;
  if (n_present === 0) kind = 'empty';
  else if (n_unique === 1) kind = 'constant';
  else if (allNumeric) {
    const uniqueAll = n_missing === 0 && n_unique === n;
    if (uniqueAll && allDigits && zeroPadded && n_nonfinite === 0) kind = 'identifier';
    else if (uniqueAll && integers && n_nonfinite === 0 && ((increasing && n >= 10) || idLikeName(name))) kind = 'identifier';
    else kind = 'numeric';
  } else if (n_missing === 0 && n_unique === n && n_text >= n_num) kind = 'identifier';
  else if (n_unique <= 20 && n_unique < 0.5 * n) kind = 'categorical';
  else kind = 'text';

  return {
    name,
    kind,
    n_missing,
    n_non_numeric: n_text + n_nonfinite,
    n_unique,
    min: stats?.min ?? null,
    median: stats?.median ?? null,
    max: stats?.max ?? null,
    mean: stats?.mean ?? null,
    std: stats?.std ?? null,
    example,
    skewness: stats?.skewness ?? null,
  };
}

interface NumberStats {
  min: number;
  median: number;
  max: number;
  mean: number;
  std: number | null;
  skewness: number | null;
}

/** Statistics of v, given in row order (the order of the sums), which it then sorts in place (ascending). */
function numberStats(v: Float64Array): NumberStats {
  const n = v.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  const std = n >= 2 ? Math.sqrt(m2 / (n - 1)) : null;
  let skewness: number | null = null;
  if (n >= 3) {
    const pm2 = m2 / n;
    const pm3 = m3 / n;
    // pandas treats a (near) zero variance as no skew
    if (pm2 > 1e-14 * Math.max(1, mean * mean)) {
      const g1 = pm3 / Math.pow(pm2, 1.5);
      skewness = (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
    } else skewness = 0;
  }
  const sorted = sortNumbers(v);
  return { min: sorted[0], median: medianOfSorted(sorted), max: sorted[n - 1], mean, std, skewness };
}

/** Below this many values the built-in sort is as fast as sortNumbers' radix sort. */
const RADIX_SORT_MIN = 10_000;
/** Index of the high and the low 32 bits of a float64 in a Uint32Array over it. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
/**
 * sortNumbers' work space, kept from one call to the next (the columns of a table are sorted one after another, and
 * fresh buffers cost page faults): the keys' other copy, grown as needed, and the counts.
 */
let radixOther = new Uint32Array(0);
const radixCount = new Int32Array(1 << 16);

/**
 * Sorts numbers (no NaN) ascending in place, -0 before +0, as Float64Array.prototype.sort does: by a radix sort of
 * their bits, 16 at a time, which takes ~3-7 ms for 100,000 values where the built-in sort takes ~11-13 ms (and a
 * large file has every column sorted for its summary).
 */
export function sortNumbers(v: Float64Array): Float64Array {
  const n = v.length;
  if (n < RADIX_SORT_MIN) return v.sort();
  // The bits become unsigned keys in the order of the numbers: a negative number's bits all flipped, else the sign bit set.
  const keys = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = keys[i + HI];
    if (hi >= 0x80000000) {
      keys[i + HI] = ~hi;
      keys[i + LO] = ~keys[i + LO];
    } else keys[i + HI] = hi | 0x80000000;
  }
  if (radixOther.length < 2 * n) radixOther = new Uint32Array(2 * n);
  const other = radixOther.subarray(0, 2 * n);
  radixPass(keys, other, LO, 0, radixCount);
  radixPass(other, keys, LO, 16, radixCount);
  radixPass(keys, other, HI, 0, radixCount);
  radixPass(other, keys, HI, 16, radixCount);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = keys[i + HI];
    if (hi >= 0x80000000) keys[i + HI] = hi & 0x7fffffff;
    else {
      keys[i + HI] = ~hi;
      keys[i + LO] = ~keys[i + LO];
    }
  }
  return v;
}

/** One stable counting-sort pass of 64-bit keys (pairs of words) from src to dst, by 16 bits of one word. */
function radixPass(src: Uint32Array, dst: Uint32Array, word: number, shift: number, count: Int32Array): void {
  const len = src.length;
  count.fill(0);
  for (let i = word; i < len; i += 2) count[(src[i] >>> shift) & 0xffff]++;
  for (let b = 0, at = 0; b < count.length; b++) {
    const c = count[b];
    count[b] = at;
    at += c;
  }
  for (let i = 0; i < len; i += 2) {
    const k = 2 * count[(src[i + word] >>> shift) & 0xffff]++;
    dst[k] = src[i];
    dst[k + 1] = src[i + 1];
  }
}

/** Median of an ascending array (mean of the two middle values for an even length). */
export function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * The default feature set: clean numeric columns (not constant, not identifiers, no text or Infinity). When there
 * are none but constant numeric columns exist (a table of one row: every column is constant), those.
 */
export function defaultFeatures(summaries: ColumnSummary[]): string[] {
  const clean = summaries.filter((s) => s.kind === 'numeric' && s.n_non_numeric === 0).map((s) => s.name);
  if (clean.length) return clean;
  return summaries.filter((s) => s.kind === 'constant' && s.n_non_numeric === 0 && s.min !== null).map((s) => s.name);
}

/**
 * Suggested log1p columns (not applied by default): default features that are non-negative with skewness > 2
 * and more than 10 distinct values (a skewed 0/1 flag gains nothing from a log).
 */
export function defaultLog1p(summaries: ColumnSummary[]): string[] {
  return summaries
    .filter(
      (s) =>
        s.kind === 'numeric' && s.n_non_numeric === 0 && s.n_unique > 10 && s.min !== null && s.min >= 0 && s.skewness !== null && s.skewness > 2,
    )
    .map((s) => s.name);
}
