/**
 * The .xlsx reader: workbooks built here from hand-written XML (fflate's zipSync), read into the same RawTable the
 * CSV path builds: shared strings (with rich-text runs and phonetic hints), inline strings, numbers, booleans, error
 * cells, gaps in a row and skipped rows placed by their cell reference, XML entities, several sheets.
 */
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { cellRef, columnLetter, decodeXmlText, parseXlsx, scanXml, xlsxSheetNames } from '../../workers/engine/data/xlsx.ts';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { summarizeColumns } from '../../workers/engine/data/columns.ts';
import { DataError } from '../../workers/engine/errors.ts';
import { makeXlsx, tableXlsx } from '../helpers/xlsx.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, readSharedText } from '../helpers/shared.ts';
import { dataError } from '../helpers/errors.ts';

const SHARED = [
  '<si><t>name</t></si>',
  '<si><t>spend</t></si>',
  '<si><r><rPr><b/></rPr><t xml:space="preserve">Ann </t></r><r><t>Lee</t></r></si>', // rich text: two runs
  '<si><t>Bob &amp; Co &lt;ltd&gt;</t><rPh sb="0" eb="1"><t>ボブ</t></rPh></si>', // entities; phonetic hint left out
  '<si><t>Caf&#233; &#x263A;</t></si>',
  '<si><t>visits</t></si>',
  '<si><t>vip</t></si>',
];

const SHEET1 =
  '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>5</v></c><c r="D1" t="s"><v>6</v></c></row>' +
  '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>12.5</v></c><c r="C2"><v>3</v></c><c r="D2" t="b"><v>1</v></c></row>' +
  // a gap in the row: B3 is skipped, C3 is placed by its reference; D3 is an error cell
  '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="C3" s="2"><v>1.5E-3</v></c><c r="D3" t="e"><v>#DIV/0!</v></c></row>' +
  // row 4 is skipped entirely (absent); row 5 has a styled empty cell and an inline string
  '<row r="5"><c r="A5" t="inlineStr"><is><t>Dee&apos;s &quot;shop&quot;</t></is></c><c r="B5" s="1"/><c r="C5"><v>-7</v></c><c r="D5" t="b"><v>0</v></c></row>' +
  '<row r="6"><c r="A6" t="s"><v>4</v></c><c r="B6" t="str"><f>B2*2</f><v>25</v></c><c r="C6"><v>45292</v></c><c r="D6" t="inlineStr"><is><r><t>ma</t></r><r><t>ybe</t></r></is></c></row>';

const SHEET2 = '<row r="2"><c r="B2" t="inlineStr"><is><t>x</t></is></c><c r="C2" t="inlineStr"><is><t>y</t></is></c></row><row r="3"><c r="B3"><v>1</v></c><c r="C3"><v>2</v></c></row>';

describe('the XML scanner', () => {
  it('decodes entities and Excel escapes, keeps quoted ">" in attributes, skips comments and reads CDATA', () => {
    expect(decodeXmlText('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x41; _x000D_')).toBe('a & b <c> "d" \'e\' éA \r');
    const seen: string[] = [];
    scanXml('<?xml version="1.0"?><!-- <x> --><a k="1 > 0" b=\'q\'><b/>t&amp;<![CDATA[<raw>]]></a>', {
      open: (n, a, self) => seen.push(`<${n} ${JSON.stringify(a)}${self ? '/' : ''}>`),
      close: (n) => seen.push(`</${n}>`),
      text: (t) => seen.push(t),
    });
    expect(seen).toEqual(['<a {"k":"1 > 0","b":"q"}>', '<b {}/>', '</b>', 't&', '<raw>', '</a>']);
    expect(() => scanXml('<a k="1></a>', {})).toThrow(DataError);
  });

  it('reads cell references', () => {
    expect(cellRef('A1')).toEqual({ col: 0, row: 0 });
    expect(cellRef('AB12')).toEqual({ col: 27, row: 11 });
    expect(cellRef('$C$7')).toEqual({ col: 2, row: 6 });
    expect(cellRef('12')).toBeNull();
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(27)).toBe('AB');
  });
});

describe('parseXlsx', () => {
  const book = makeXlsx(
    [
      { name: 'Customers', rows: SHEET1 },
      { name: 'Other & more', rows: SHEET2 },
    ],
    SHARED,
  );

  it('reads the first sheet into the table a CSV would give', () => {
    const { sheets, table } = parseXlsx(book, 'shop.xlsx');
    expect(sheets).toEqual(['Customers', 'Other & more']);
    expect(table.sheet).toBe('Customers');
    expect(table.delimiter).toBe('xlsx');
    expect(table.columns).toEqual(['name', 'spend', 'visits', 'vip']);
    expect(table.n_rows).toBe(4);
    expect(table.cells[0]).toEqual(['Ann Lee', 'Bob & Co <ltd>', 'Dee\'s "shop"', 'Café ☺']);
    // gap B3 and the styled empty B5 are missing; a formula's cached result is read; dates stay numbers
    expect(table.cells[1]).toEqual(['12.5', '', '', '25']);
    expect(table.cells[2]).toEqual(['3', '1.5E-3', '-7', '45292']);
    // booleans as TRUE / FALSE, error cells missing, inline rich text joined
    expect(table.cells[3]).toEqual(['TRUE', '', 'FALSE', 'maybe']);
    const s = summarizeColumns(table);
    expect(s[1].kind).toBe('numeric');
    expect(s[1].n_missing).toBe(2);
    expect(s[2].min).toBe(-7);
  });

  it('reads a chosen sheet, whose table may start anywhere', () => {
    expect(xlsxSheetNames(book, 'shop.xlsx')).toEqual(['Customers', 'Other & more']);
    const { table } = parseXlsx(book, 'shop.xlsx', 'Other & more');
    expect(table.columns).toEqual(['x', 'y']);
    expect(table.cells).toEqual([['1'], ['2']]);
    expect(table.sheet).toBe('Other & more');
    const e = dataError(() => parseXlsx(book, 'shop.xlsx', 'Nope'));
    expect(e.field).toBe('sheet');
    expect(e.message).toMatch(/no sheet named "Nope".*"Customers", "Other & more"/);
  });

  it('explains a damaged or foreign file, an empty sheet and a header gap', () => {
    const broken = book.slice();
    broken.fill(0, 30, 400); // damage the first entries' data
    let e = dataError(() => parseXlsx(broken, 'broken.xlsx'));
    expect(e.field).toBe('file');
    expect(e.message).toMatch(/broken\.xlsx/);
    e = dataError(() => parseXlsx(book.slice(0, 200), 'cut.xlsx'));
    expect(e.message).toMatch(/cut\.xlsx.*(damaged|could not)/);
    e = dataError(() => parseXlsx(strToU8('name,spend\nA,1\n'), 'renamed.xlsx'));
    expect(e.message).toMatch(/not a zip archive/);
    e = dataError(() => parseXlsx(zipSync({ 'hello.txt': strToU8('hi') }), 'other.xlsx'));
    expect(e.message).toMatch(/xl\/workbook\.xml is missing/);
    e = dataError(() => parseXlsx(makeXlsx([{ name: 'S', rows: '' }]), 'empty.xlsx'));
    expect(e.message).toMatch(/sheet "S" of "empty\.xlsx" is empty/);
    const gap = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" t="inlineStr"><is><t>c</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>';
    e = dataError(() => parseXlsx(makeXlsx([{ name: 'S', rows: gap }]), 'gap.xlsx'));
    expect(e.message).toMatch(/column B has no name/);
    const stray = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="D2"><v>9</v></c></row>';
    e = dataError(() => parseXlsx(makeXlsx([{ name: 'S', rows: stray }]), 'stray.xlsx'));
    expect(e.message).toMatch(/cell D2 .* has a value/);
  });

  it('gives the same table as the CSV for a table written as a workbook', () => {
    const csv = 'id,grade,score\n0001,gold,1.5\n0002,silver,\n0003,"a, b",-2\n';
    const t = parseCsv(csv, 'x.csv');
    const rows = Array.from({ length: t.n_rows }, (_, i) => t.columns.map((_, j) => t.cells[j][i]));
    const x = parseXlsx(tableXlsx(t.columns, rows), 'x.xlsx').table;
    expect(x.columns).toEqual(t.columns);
    expect(x.cells).toEqual(t.cells);
  });
});

describe.skipIf(!HAVE_SHARED)('marketing_campaign.csv written as a workbook', () => {
  it(`reads back cell for cell (${HAVE_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
    const t = parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'marketing_campaign.csv');
    const rows = Array.from({ length: t.n_rows }, (_, i) => t.columns.map((_, j) => t.cells[j][i]));
    const t0 = performance.now();
    const x = parseXlsx(tableXlsx(t.columns, rows), 'marketing_campaign.xlsx').table;
    const ms = performance.now() - t0;
    expect(x.n_rows).toBe(2240);
    expect(x.columns).toEqual(t.columns);
    expect(x.cells).toEqual(t.cells);
    expect(ms).toBeLessThan(5000);
  });
});
