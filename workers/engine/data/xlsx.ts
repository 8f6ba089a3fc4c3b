/**
 * Excel workbooks (.xlsx) -> RawTable, the same table the CSV path builds, so everything downstream is the same.
 * The zip is opened with fflate; the few XML parts needed (xl/workbook.xml, xl/_rels/workbook.xml.rels,
 * xl/sharedStrings.xml, xl/worksheets/sheetN.xml) are read by a small scanner of our own (DOMParser does not exist in
 * workers). Cells become text as a CSV export would hold them:
 * - numbers as written in the file ('3.5', '1.2E-3'); cells formatted as dates stay numbers (Excel's serial day
 *   count, e.g. 45292 for 2024-01-01): the cell styles are not read;
 * - shared strings (rich-text runs joined, phonetic hints left out), inline strings and formula results as text,
 *   with XML entities and Excel's _xHHHH_ escapes decoded;
 * - booleans as TRUE / FALSE; error cells (#DIV/0!, #N/A …) and empty or skipped cells as missing ('').
 * Cells are placed by their reference (C7), so a gap in a row or a skipped row is kept in place.
 * The first non-empty row is the header; empty rows are skipped, as in a CSV.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { DataError } from '../errors.ts';
import type { RawTable } from './csv.ts';

export interface Workbook {
  /** Worksheet names in workbook order. */
  sheets: string[];
  table: RawTable;
}

type Attrs = Record<string, string>;

/** Decodes XML entities (&amp; &lt; &#233; &#xE9; …) and Excel's _xHHHH_ escapes. */
export function decodeXmlText(s: string): string {
  if (s.indexOf('&') >= 0) {
    s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
      if (e === 'amp') return '&';
      if (e === 'lt') return '<';
      if (e === 'gt') return '>';
      if (e === 'quot') return '"';
      if (e === 'apos') return "'";
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    });
  }
  if (s.indexOf('_x') >= 0) s = s.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s;
}

/**
 * A small streaming XML scanner: calls open(localName, attrs, selfClosing), close(localName) and text(decoded) in
 * document order. Comments, processing instructions and DOCTYPE are skipped; CDATA is text. Namespace prefixes are
 * dropped from element names (x:c -> c) but kept on attributes (r:id).
 */
export function scanXml(
  xml: string,
  on: { open?: (name: string, attrs: Attrs, selfClosing: boolean) => void; close?: (name: string) => void; text?: (t: string) => void },
  part = 'an XML part',
): void {
  const n = xml.length;
  let i = 0;
  const bad = (what: string): never => {
    throw new DataError('file', `the workbook is damaged: ${part} is not well-formed XML (${what} at character ${i})`);
  };
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i && on.text) on.text(decodeXmlText(xml.slice(i, end)));
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const e = xml.indexOf('-->', i + 4);
      if (e < 0) bad('an unclosed comment');
      i = e + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const e = xml.indexOf(']]>', i + 9);
      if (e < 0) bad('an unclosed CDATA section');
      if (on.text) on.text(xml.slice(i + 9, e));
      i = e + 3;
    } else if (xml.startsWith('<?', i)) {
      const e = xml.indexOf('?>', i + 2);
      if (e < 0) bad('an unclosed processing instruction');
      i = e + 2;
    } else if (xml.startsWith('<!', i)) {
      const e = xml.indexOf('>', i + 2);
      if (e < 0) bad('an unclosed declaration');
      i = e + 1;
    } else if (xml[i + 1] === '/') {
      const e = xml.indexOf('>', i + 2);
      if (e < 0) bad('an unclosed end tag');
      if (on.close) on.close(localName(xml.slice(i + 2, e).trim()));
      i = e + 1;
    } else {
      // start tag: name, then attributes with quoted values (which may hold '>')
      let j = i + 1;
      while (j < n && !isSpace(xml.charCodeAt(j)) && xml[j] !== '>' && xml[j] !== '/') j++;
      const name = xml.slice(i + 1, j);
      if (!name) bad('a tag without a name');
      const attrs: Attrs = {};
      let selfClosing = false;
      for (;;) {
        while (j < n && isSpace(xml.charCodeAt(j))) j++;
        if (j >= n) bad('an unclosed tag');
        const c = xml[j];
        if (c === '>') {
          j++;
          break;
        }
        if (c === '/') {
          if (xml[j + 1] !== '>') bad('a stray "/" in a tag');
          selfClosing = true;
          j += 2;
          break;
        }
        let k = j;
        while (k < n && xml[k] !== '=' && !isSpace(xml.charCodeAt(k)) && xml[k] !== '>' && xml[k] !== '/') k++;
        const key = xml.slice(j, k);
        while (k < n && isSpace(xml.charCodeAt(k))) k++;
        if (xml[k] !== '=') bad(`attribute ${key} without a value`);
        k++;
        while (k < n && isSpace(xml.charCodeAt(k))) k++;
        const q = xml[k];
        if (q !== '"' && q !== "'") bad(`attribute ${key} without quotes`);
        const e = xml.indexOf(q, k + 1);
        if (e < 0) bad(`an unclosed attribute ${key}`);
        attrs[key] = decodeXmlText(xml.slice(k + 1, e));
        j = e + 1;
      }
      const ln = localName(name);
      if (on.open) on.open(ln, attrs, selfClosing);
      if (selfClosing && on.close) on.close(ln);
      i = j;
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function localName(name: string): string {
  const k = name.indexOf(':');
  return k >= 0 ? name.slice(k + 1) : name;
}

/** 'C7' -> { col: 2, row: 6 } (0-based); null when it is not a cell reference. */
export function cellRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col: col - 1, row: Number(m[2]) - 1 };
}

/** 0 -> 'A', 27 -> 'AB'. */
export function columnLetter(col: number): string {
  let s = '';
  let c = col + 1;
  while (c > 0) {
    const r = (c - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    c = Math.floor((c - 1) / 26);
  }
  return s;
}

function describe(name: string): string {
  return name ? `"${name}"` : 'the workbook';
}

function unzip(bytes: Uint8Array, name: string): Record<string, Uint8Array> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new DataError('file', `${describe(name)} is not an Excel .xlsx workbook (it is not a zip archive); save it as .xlsx or CSV and try again`);
  }
  try {
    return unzipSync(bytes);
  } catch (e) {
    throw new DataError('file', `${describe(name)} could not be opened: the .xlsx (zip) archive is damaged (${(e as Error).message}); save it again as .xlsx or CSV`);
  }
}

function part(files: Record<string, Uint8Array>, path: string): string | null {
  const f = files[path] ?? files[Object.keys(files).find((k) => k.toLowerCase() === path.toLowerCase()) ?? ''];
  return f ? strFromU8(f) : null;
}

/** Worksheet names and their part paths, in workbook order. */
function listSheets(files: Record<string, Uint8Array>, name: string): { name: string; path: string }[] {
  const wb = part(files, 'xl/workbook.xml');
  if (wb === null) throw new DataError('file', `${describe(name)} is not an Excel workbook (xl/workbook.xml is missing); save it as .xlsx or CSV`);
  const rels = new Map<string, { target: string; type: string }>();
  const relText = part(files, 'xl/_rels/workbook.xml.rels');
  if (relText !== null) {
    scanXml(relText, { open: (n, a) => n === 'Relationship' && a.Id && rels.set(a.Id, { target: a.Target ?? '', type: a.Type ?? '' }) }, 'xl/_rels/workbook.xml.rels');
  }
  const out: { name: string; path: string }[] = [];
  let k = 0;
  scanXml(
    wb,
    {
      open: (n, a) => {
        if (n !== 'sheet') return;
        k++;
        const rid = a['r:id'] ?? Object.entries(a).find(([key]) => key.endsWith(':id'))?.[1];
        const rel = rid ? rels.get(rid) : undefined;
        if (rel && rel.type && !/\/worksheet$/.test(rel.type)) return; // chart sheets, macro sheets
        const target = rel ? rel.target : `worksheets/sheet${k}.xml`;
        const path = target.startsWith('/') ? target.slice(1) : normalise(`xl/${target}`);
        out.push({ name: a.name ?? `Sheet${k}`, path });
      },
    },
    'xl/workbook.xml',
  );
  if (out.length === 0) throw new DataError('file', `${describe(name)} has no worksheets`);
  return out;
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

function sharedStrings(files: Record<string, Uint8Array>): string[] {
  const xml = part(files, 'xl/sharedStrings.xml');
  if (xml === null) return [];
  const out: string[] = [];
  let cur: string[] | null = null;
  let inT = 0;
  let inPhonetic = 0;
  scanXml(
    xml,
    {
      open: (n, _a, self) => {
        if (n === 'si') cur = [];
        else if (n === 'rPh') inPhonetic++;
        else if (n === 't' && !self) inT++;
      },
      close: (n) => {
        if (n === 'si') {
          out.push(cur ? cur.join('') : '');
          cur = null;
        } else if (n === 'rPh') inPhonetic--;
        else if (n === 't' && inT > 0) inT--;
      },
      text: (t) => {
        if (cur && inT > 0 && inPhonetic === 0) cur.push(t);
      },
    },
    'xl/sharedStrings.xml',
  );
  return out;
}

/** Cells of one worksheet: grid[row][col] as text ('' = empty). */
function readSheet(xml: string, strings: string[], path: string): Map<number, Map<number, string>> {
  const grid = new Map<number, Map<number, string>>();
  let row = -1;
  let col = -1;
  let type = 'n';
  let inCell = false;
  let inV = false;
  let inIs = 0;
  let inT = 0;
  let inPhonetic = 0;
  let value: string[] = [];
  let rowMap: Map<number, string> | null = null;
  scanXml(
    xml,
    {
      open: (n, a, self) => {
        if (n === 'row') {
          const r = a.r ? Number(a.r) - 1 : row + 1;
          row = Number.isInteger(r) && r >= 0 ? r : row + 1;
          col = -1;
          rowMap = grid.get(row) ?? new Map();
          grid.set(row, rowMap);
        } else if (n === 'c') {
          const ref = a.r ? cellRef(a.r) : null;
          if (ref) {
            if (ref.row !== row) {
              row = ref.row;
              rowMap = grid.get(row) ?? new Map();
              grid.set(row, rowMap);
            }
            col = ref.col;
          } else col++;
          type = a.t ?? 'n';
          value = [];
          inCell = !self;
          if (self) return;
        } else if (inCell && n === 'v' && !self) inV = true;
        else if (inCell && n === 'is') inIs++;
        else if (inCell && n === 'rPh') inPhonetic++;
        else if (inCell && n === 't' && !self) inT++;
      },
      close: (n) => {
        if (n === 'c' && inCell) {
          inCell = false;
          const text = value.join('');
          let cell: string;
          if (type === 's') {
            const k = Number(text.trim());
            cell = Number.isInteger(k) && k >= 0 && k < strings.length ? strings[k] : '';
          } else if (type === 'b') cell = text.trim() === '1' ? 'TRUE' : text.trim() === '0' ? 'FALSE' : text;
          else if (type === 'e') cell = '';
          else if (type === 'inlineStr' || type === 'str' || type === 'd') cell = text;
          else cell = text.trim();
          if (cell !== '' && rowMap) rowMap.set(col, cell);
        } else if (n === 'v') inV = false;
        else if (n === 'is' && inIs > 0) inIs--;
        else if (n === 'rPh' && inPhonetic > 0) inPhonetic--;
        else if (n === 't' && inT > 0) inT--;
      },
      text: (t) => {
        if (!inCell || inPhonetic > 0) return;
        if (type === 'inlineStr' ? inIs > 0 && inT > 0 : inV) value.push(t);
      },
    },
    path,
  );
  return grid;
}

/** The sheet names of a workbook. */
export function xlsxSheetNames(bytes: Uint8Array, name: string): string[] {
  return listSheets(unzip(bytes, name), name).map((s) => s.name);
}

/** Parses one worksheet (the first, or the one named `sheet`) of an .xlsx workbook into a RawTable. */
export function parseXlsx(bytes: Uint8Array, name: string, sheet?: string | null): Workbook {
  const files = unzip(bytes, name);
  const sheets = listSheets(files, name);
  const chosen = sheet == null ? sheets[0] : sheets.find((s) => s.name === sheet);
  if (!chosen) {
    throw new DataError('sheet', `${describe(name)} has no sheet named "${sheet}"; its sheets are ${sheets.map((s) => `"${s.name}"`).join(', ')}`);
  }
  const xml = part(files, chosen.path);
  if (xml === null) throw new DataError('file', `${describe(name)} is damaged: the sheet "${chosen.name}" (${chosen.path}) is missing from the archive`);
  const grid = readSheet(xml, sharedStrings(files), chosen.path);
  const where = `sheet "${chosen.name}" of ${describe(name)}`;

  const rowNums = [...grid.keys()].filter((r) => grid.get(r)!.size > 0).sort((a, b) => a - b);
  if (rowNums.length === 0) throw new DataError('file', `${where} is empty`);
  const headerRow = grid.get(rowNums[0])!;
  const headerCols = [...headerRow.keys()].sort((a, b) => a - b);
  const first = headerCols[0];
  const last = headerCols[headerCols.length - 1];
  const columns: string[] = [];
  const seen = new Map<string, number>();
  for (let c = first; c <= last; c++) {
    const h = (headerRow.get(c) ?? '').trim();
    if (h === '') {
      throw new DataError('file', `column ${columnLetter(c)} has no name in the header row (row ${rowNums[0] + 1}) of ${where}; every column needs a name`);
    }
    const prev = seen.get(h);
    if (prev !== undefined) {
      throw new DataError(h, `the column name "${h}" appears twice in the header of ${where} (columns ${columnLetter(prev)} and ${columnLetter(c)}); column names must be unique`);
    }
    seen.set(h, c);
    columns.push(h);
  }
  const width = columns.length;
  const cells: string[][] = Array.from({ length: width }, () => []);
  let n_rows = 0;
  for (let k = 1; k < rowNums.length; k++) {
    const r = rowNums[k];
    const rowMap = grid.get(r)!;
    let any = false;
    for (const [c, v] of rowMap) {
      if (v.trim() === '') continue;
      if (c < first || c > last) {
        throw new DataError('file', `cell ${columnLetter(c)}${r + 1} of ${where} has a value (${JSON.stringify(v.slice(0, 40))}) but its column has no name in the header row`);
      }
      any = true;
    }
    if (!any) continue;
    for (let j = 0; j < width; j++) cells[j].push(rowMap.get(first + j) ?? '');
    n_rows++;
  }
  if (n_rows === 0) throw new DataError('file', `${where} has a header row but no data rows`);
  return {
    sheets: sheets.map((s) => s.name),
    table: { name, columns, cells, n_rows, delimiter: 'xlsx', sheet: chosen.name, sheets: sheets.map((s) => s.name) },
  };
}
