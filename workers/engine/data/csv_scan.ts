/**
 * The fast path of reading a CSV file, for the usual numeric export: no quote character anywhere and one kind of line
 * end throughout ('\n', or '\r\n'). One pass over the text reads each cell that is a plain decimal straight into a
 * number (the value parseCell gives) and notes where every cell starts. A column whose cells are all plain decimals or
 * empty is handed over with its numbers, and its cells become strings only when something asks for them: at
 * 100,000 x 17, making the 1.7 million strings took as long as parsing the file (bench/results/browser.md).
 *
 * The result is what papaparse gives for such a text (test/engine/csv.test.ts compares the two on generated files).
 * Anything else (a quote, a lone '\r', a row with the wrong number of fields) returns null, and the general parser
 * reads the file and words the error.
 */

import { EXACT_POWERS_OF_10 } from './columns.ts';

/** A column read by the scan. */
export interface ScannedColumn {
  /** The cells as written; for a numeric column, made on demand (see lazyCells). */
  cells: string[];
  /** Every cell a plain decimal (at most 15 digits, optional sign and point, no exponent or spaces) or empty. */
  numbers: {
    /** The value of each cell, NaN where it is empty. */
    values: Float64Array;
    /** Every non-empty cell is digits only, and whether one of them has a leading zero (identifier detection). */
    digits_only: boolean;
    zero_padded: boolean;
  } | null;
}

export interface ScannedTable {
  /** The header line's fields, as written. */
  header: string[];
  n_rows: number;
  columns: ScannedColumn[];
}

const LF = 10;
const CR = 13;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/** The table, or null when the text is not of the shape this path reads (module comment). */
export function scanPlainCsv(text: string, delimiter: string): ScannedTable | null {
  if (delimiter.length !== 1 || text.includes('"')) return null;
  const crlf = text.includes('\r');
  if (crlf && !everyLineEndIsCrlf(text)) return null;
  const D = delimiter.charCodeAt(0);
  const eolLength = crlf ? 2 : 1;

  // Lines: [start, end) without the line end; blank lines are skipped, as the general parser skips them.
  const lineStarts: number[] = [];
  const lineEnds: number[] = [];
  for (let start = 0; start <= text.length; ) {
    const lf = text.indexOf('\n', start);
    const next = lf < 0 ? text.length + 1 : lf + 1;
    const end = lf < 0 ? text.length : lf + 1 - eolLength;
    if (!isBlankLine(text, start, end, delimiter)) {
      lineStarts.push(start);
      lineEnds.push(end);
    }
    start = next;
  }
  if (lineStarts.length === 0) return null;
  const header = text.slice(lineStarts[0], lineEnds[0]).split(delimiter);
  const d = header.length;
  const n = lineStarts.length - 1;

  const values = Array.from({ length: d }, () => new Float64Array(n));
  const starts = Array.from({ length: d }, () => new Int32Array(n));
  const plain = new Array<boolean>(d).fill(true);
  const digitsOnly = new Array<boolean>(d).fill(true);
  const zeroPadded = new Array<boolean>(d).fill(false);

  for (let r = 0; r < n; r++) {
    const end = lineEnds[r + 1];
    let p = lineStarts[r + 1];
    for (let j = 0; j < d; j++) {
      const start = p;
      starts[j][r] = start;
      // a plain decimal, as parseCell's plainDecimal reads it
      const sign = p < end ? text.charCodeAt(p) : -1;
      if (sign === MINUS || sign === PLUS) p++;
      let m = 0;
      let digits = 0;
      let fraction = 0;
      let dot = false;
      for (; p < end; p++) {
        const c = text.charCodeAt(p) - ZERO;
        if (c < 0 || c > 9) break;
        m = m * 10 + c;
        digits++;
      }
      if (p < end && text.charCodeAt(p) === DOT) {
        dot = true;
        for (p++; p < end; p++) {
          const c = text.charCodeAt(p) - ZERO;
          if (c < 0 || c > 9) break;
          m = m * 10 + c;
          fraction++;
        }
      }
      let atDelimiter = p < end && text.charCodeAt(p) === D;
      if (p === start && (atDelimiter || p === end)) {
        values[j][r] = NaN; // empty: missing
      } else if ((atDelimiter || p === end) && digits + fraction > 0 && digits + fraction <= 15) {
        const v = m / EXACT_POWERS_OF_10[fraction];
        values[j][r] = sign === MINUS ? -v : v;
        if (sign === MINUS || sign === PLUS || dot) digitsOnly[j] = false;
        else if (p - start > 1 && text.charCodeAt(start) === ZERO) zeroPadded[j] = true;
      } else {
        plain[j] = false;
        values[j][r] = NaN;
        while (p < end && text.charCodeAt(p) !== D) p++;
        atDelimiter = p < end;
      }
      // the field count: a delimiter after every field but the last, none after the last
      if (atDelimiter !== j < d - 1) return null;
      p++;
    }
  }

  const cellAt = (j: number) => (i: number) => text.slice(starts[j][i], j + 1 < d ? starts[j + 1][i] - 1 : lineEnds[i + 1]);
  const columns = header.map((_, j): ScannedColumn => {
    const at = cellAt(j);
    if (!plain[j]) return { cells: Array.from({ length: n }, (_, i) => at(i)), numbers: null };
    return { cells: lazyCells(n, at), numbers: { values: values[j], digits_only: digitsOnly[j], zero_padded: zeroPadded[j] } };
  });
  return { header, n_rows: n, columns };
}

/** Every '\r' starts a '\r\n' and every '\n' ends one. */
function everyLineEndIsCrlf(text: string): boolean {
  let crs = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) return false;
    crs++;
  }
  let lfs = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lfs++;
  return crs === lfs;
}

/** A line the general parser reads as one blank field: no delimiter, only white space. */
function isBlankLine(text: string, start: number, end: number, delimiter: string): boolean {
  if (start === end) return true;
  const c = text.charCodeAt(start);
  // the common case at once: a line starting with a digit, sign, point or letter is not blank
  if (c > 32 && c < 127) return false;
  const line = text.slice(start, end);
  return !line.includes(delimiter) && line.trim() === '';
}

/**
 * A column of n cells that are made when read: one cell read by index is sliced from the text; anything else (length
 * aside) fills the whole column first and then acts on it, so the array behaves as an ordinary string[] for every use
 * (iteration, map, spread, Array.isArray).
 */
function lazyCells(n: number, cellAt: (i: number) => string): string[] {
  const target: string[] = [];
  let filled = false;
  const fill = (): string[] => {
    if (!filled) {
      filled = true;
      for (let i = 0; i < n; i++) target.push(cellAt(i));
    }
    return target;
  };
  return new Proxy(target, {
    get(_, key) {
      if (!filled && typeof key === 'string') {
        if (key === 'length') return n;
        const c = key.charCodeAt(0);
        if (c >= ZERO && c <= ZERO + 9) {
          const i = Number(key);
          if (Number.isInteger(i) && i < n) return cellAt(i);
        }
      }
      return Reflect.get(fill(), key);
    },
    has: (_, key) => Reflect.has(fill(), key),
    ownKeys: () => Reflect.ownKeys(fill()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(fill(), key),
    set: (_, key, value) => Reflect.set(fill(), key, value),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(fill(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(fill(), key),
  });
}
