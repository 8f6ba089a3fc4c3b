/**
 * CSV text -> RawTable (columns of strings). Parsing with papaparse; every problem a person can fix becomes a
 * DataError with a plain message ('file' for the file as a whole, the column name where one column is at fault).
 * Cells are kept exactly as written (no trimming, no HTML handling: the UI shows them as text). A file without quotes
 * takes a faster path (csv_scan.ts) that gives the same table.
 */
import Papa from 'papaparse';
import { DataError } from '../errors.ts';
import { scanPlainCsv } from './csv_scan.ts';
import { rememberNumbers } from './columns.ts';

export interface RawTable {
  name: string;
  columns: string[];
  /** Per column, n_rows strings; '' = missing. */
  cells: string[][];
  n_rows: number;
  /** ',', '\t' or ';' for a text file; 'xlsx' for an Excel workbook. */
  delimiter: string;
  /** Excel: the sheet read, and every worksheet of the workbook in order. */
  sheet?: string;
  sheets?: string[];
}

const DELIMITERS = [',', '\t', ';'];
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon' };

/** Parses CSV (comma, tab or semicolon separated; LF or CRLF; optional BOM; quoted fields) into columns. */
export function parseCsv(text: string, name: string): RawTable {
  if (typeof text !== 'string') throw new DataError('file', `${name || 'the file'} could not be read as text`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError('file', `${describe(name)} is empty`);
  checkLooksLikeText(text, name);

  const guessed = guessDelimiter(text);
  const scanned = scanPlainCsv(text, guessed);
  if (scanned) {
    const header = checkHeader(scanned.header);
    if (scanned.n_rows === 0) throw new DataError('file', `${describe(name)} has a header line but no data rows`);
    for (const c of scanned.columns) if (c.numbers) rememberNumbers(c.cells, c.numbers);
    return { name, columns: header, cells: scanned.columns.map((c) => c.cells), n_rows: scanned.n_rows, delimiter: guessed };
  }

  const result = Papa.parse<string[]>(text, {
    delimiter: guessed,
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
  });

  const rows = result.data;
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    const line = fatal.row !== undefined && fatal.row >= 0 && fatal.row < rows.length ? lineOfRow(rows, fatal.row) : undefined;
    throw new DataError(
      'file',
      `${describe(name)} has a quoted field that is never closed or is malformed${line ? ` (near line ${line})` : ''}: ${fatal.message}`,
    );
  }
  const delimiter = result.meta.delimiter || ',';

  // Header: the first non-blank row.
  let h = 0;
  while (h < rows.length && isBlankRow(rows[h])) h++;
  if (h >= rows.length) throw new DataError('file', `${describe(name)} is empty`);
  const header = checkHeader(rows[h]);
  const n_cols = header.length;

  // Rows checked and counted first, so that each column is allocated once at its size: pushing 1.7 million cells
  // (100,000 x 17) into growing arrays takes ~5x longer.
  let n_rows = 0;
  for (let r = h + 1; r < rows.length; r++) {
    const row = rows[r];
    if (isBlankRow(row)) continue;
    if (row.length !== n_cols) {
      const line = lineOfRow(rows, r);
      const sep = DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter);
      throw new DataError(
        'file',
        `line ${line} has ${row.length} field${row.length === 1 ? '' : 's'} but the header has ${n_cols} column${n_cols === 1 ? '' : 's'} (separator: ${sep}); ` +
          `check for a missing or extra separator or an unquoted ${sep} inside a value`,
      );
    }
    n_rows++;
  }
  if (n_rows === 0) {
    throw new DataError('file', `${describe(name)} has a header line but no data rows`);
  }
  const cells: string[][] = Array.from({ length: n_cols }, () => new Array<string>(n_rows));
  for (let r = h + 1, i = 0; r < rows.length; r++) {
    const row = rows[r];
    if (isBlankRow(row)) continue;
    for (let j = 0; j < n_cols; j++) cells[j][i] = row[j];
    i++;
  }
  return { name, columns: header, cells, n_rows, delimiter };
}

/** The column names (the header's fields trimmed); DataError for an empty or repeated name. */
function checkHeader(fields: string[]): string[] {
  const header = fields.map((c) => c.trim());
  const n_cols = header.length;
  const seen = new Map<string, number>();
  for (let j = 0; j < n_cols; j++) {
    const col = header[j];
    if (col === '') {
      throw new DataError('file', `column ${j + 1} of ${n_cols} has no name in the header line; every column needs a name`);
    }
    const prev = seen.get(col);
    if (prev !== undefined) {
      throw new DataError(col, `the column name "${col}" appears twice in the header (columns ${prev + 1} and ${j + 1}); column names must be unique`);
    }
    seen.set(col, j);
  }
  return header;
}

/**
 * papaparse's guess (the delimiter giving the most consistent field count over the first rows), with blank lines
 * skipped so that a trailing newline does not spoil it on a small file; comma when nothing fits (one column).
 */
function guessDelimiter(text: string): string {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const probe = Papa.parse<string[]>(head, { delimiter: '', delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy', preview: 10 });
  const d = probe.meta.delimiter;
  return DELIMITERS.includes(d) ? d : ',';
}

function describe(name: string): string {
  return name ? `"${name}"` : 'the file';
}

/** A row papaparse produced from an empty or whitespace-only line. */
function isBlankRow(row: string[]): boolean {
  return row.length === 0 || (row.length === 1 && row[0].trim() === '');
}

/** 1-based line number where rows[r] starts, counting line breaks inside quoted fields of earlier rows. */
function lineOfRow(rows: string[][], r: number): number {
  let line = 1;
  for (let i = 0; i < r; i++) {
    line++;
    for (const cell of rows[i]) {
      if (cell.length > 0 && (cell.includes('\n') || cell.includes('\r'))) {
        const m = cell.match(/\r\n|\r|\n/g);
        line += m ? m.length : 0;
      }
    }
  }
  return line;
}

/** Rejects binary content: NUL characters, or mostly control / undecodable characters in the first 64 KB. */
function checkLooksLikeText(text: string, name: string): void {
  const n = Math.min(text.length, 65536);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) {
      throw new DataError('file', `${describe(name)} does not look like a CSV file (it contains binary data); export the table as CSV text and try again`);
    }
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad++;
  }
  if (bad > 0.1 * n) {
    throw new DataError('file', `${describe(name)} does not look like a CSV file (it is mostly non-printable characters); export the table as CSV text and try again`);
  }
}
