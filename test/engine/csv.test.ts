import { describe, it, expect } from 'vitest';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { HAVE_SHARED, readSharedText } from '../helpers/shared.ts';
import { dataError } from '../helpers/errors.ts';

describe('parseCsv: formats', () => {
  it('reads comma, tab and semicolon separated text', () => {
    for (const sep of [',', '\t', ';']) {
      const t = parseCsv(`a${sep}b${sep}c\n1${sep}2${sep}3\n4${sep}5${sep}6\n`, 'x.csv');
      expect(t.delimiter).toBe(sep);
      expect(t.columns).toEqual(['a', 'b', 'c']);
      expect(t.cells).toEqual([
        ['1', '4'],
        ['2', '5'],
        ['3', '6'],
      ]);
      expect(t.n_rows).toBe(2);
      expect(t.name).toBe('x.csv');
    }
  });

  it('picks semicolons over decimal commas', () => {
    const t = parseCsv('a;b\n1,5;2\n3,25;4\n', 'eu.csv');
    expect(t.delimiter).toBe(';');
    expect(t.cells[0]).toEqual(['1,5', '3,25']);
  });

  it('handles CRLF, no final newline, a BOM and blank trailing lines', () => {
    const a = parseCsv('\uFEFFx,y\r\n1,2\r\n3,4', 'a.csv');
    expect(a.columns).toEqual(['x', 'y']);
    expect(a.cells).toEqual([
      ['1', '3'],
      ['2', '4'],
    ]);
    const b = parseCsv('x,y\n1,2\n3,4\n\n\n  \n', 'b.csv');
    expect(b.n_rows).toBe(2);
    expect(b.cells[1]).toEqual(['2', '4']);
  });

  it('trims header names but keeps cells exactly', () => {
    const t = parseCsv(' a , b\n x ,  2 \n', 't.csv');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.cells[0]).toEqual([' x ']);
    expect(t.cells[1]).toEqual(['  2 ']);
  });

  it('reads quoted fields with separators, quotes and line breaks inside', () => {
    const t = parseCsv('name,note\n"Smith, J.","said ""hi""\nthen left"\nB,plain\n', 'q.csv');
    expect(t.n_rows).toBe(2);
    expect(t.cells[0]).toEqual(['Smith, J.', 'B']);
    expect(t.cells[1]).toEqual(['said "hi"\nthen left', 'plain']);
  });

  it('parses a single data row, and a single column', () => {
    expect(parseCsv('a,b\n1,2', 'one.csv').n_rows).toBe(1);
    const c = parseCsv('v\n1\n2\n3\n', 'col.csv');
    expect(c.columns).toEqual(['v']);
    expect(c.cells[0]).toEqual(['1', '2', '3']);
  });

  it('keeps HTML in cells and headers verbatim', () => {
    const t = parseCsv('<b>name</b>,"<script>alert(1)</script>"\n<img src=x onerror=alert(1)>,&amp;\n', 'h.csv');
    expect(t.columns).toEqual(['<b>name</b>', '<script>alert(1)</script>']);
    expect(t.cells[0][0]).toBe('<img src=x onerror=alert(1)>');
    expect(t.cells[1][0]).toBe('&amp;');
  });

  it('skips blank lines anywhere, the columns holding exactly the data rows', () => {
    const t = parseCsv('a,b\n\n1,2\n\n  \n3,4\n\n5,6\n\n', 'blank.csv');
    expect(t.n_rows).toBe(3);
    expect(t.cells).toEqual([
      ['1', '3', '5'],
      ['2', '4', '6'],
    ]);
    for (const col of t.cells) expect(Object.keys(col)).toEqual(['0', '1', '2']);
    const e = dataError(() => parseCsv('a,b\n1,2\n\n3\n4,5\n', 'r.csv'));
    expect(e.message).toMatch(/line 4 has 1 field but the header has 2 columns/);
  });

  it('keeps empty cells as empty strings (missing)', () => {
    const t = parseCsv('a,b,c\n1,,3\n,,\n', 'm.csv');
    expect(t.n_rows).toBe(2);
    expect(t.cells).toEqual([
      ['1', ''],
      ['', ''],
      ['3', ''],
    ]);
  });
});

describe('parseCsv: errors a person can act on', () => {
  it('empty file', () => {
    for (const text of ['', '   \n\n', '\uFEFF']) {
      const e = dataError(() => parseCsv(text, 'empty.csv'));
      expect(e.field).toBe('file');
      expect(e.message).toMatch(/empty/);
    }
  });

  it('header only', () => {
    for (const text of ['a,b,c', 'a,b,c\n', 'a,b,c\r\n\r\n']) {
      const e = dataError(() => parseCsv(text, 'h.csv'));
      expect(e.field).toBe('file');
      expect(e.message).toMatch(/header line but no data rows/);
    }
  });

  it('binary content: NUL bytes or mostly non-printable characters', () => {
    const nul = dataError(() => parseCsv('a,b\n1,\u0000\u0000\n', 'x.bin'));
    expect(nul.field).toBe('file');
    expect(nul.message).toMatch(/does not look like a CSV file/);
    // A PNG decoded as UTF-8: replacement characters and control codes
    let junk = '\uFFFDPNG\r\n\u001a\n';
    for (let i = 0; i < 300; i++) junk += String.fromCharCode(i % 2 ? 0xfffd : 1 + (i % 7));
    const bin = dataError(() => parseCsv(junk, 'image.png'));
    expect(bin.message).toMatch(/does not look like a CSV file/);
  });

  it('ragged rows name the line and the field counts', () => {
    const e = dataError(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'r.csv'));
    expect(e.field).toBe('file');
    expect(e.message).toMatch(/line 3 has 2 fields but the header has 3 columns/);
    const more = dataError(() => parseCsv('a,b\r\n1,2\r\n3,4\r\n5,6,7', 'r.csv'));
    expect(more.message).toMatch(/line 4 has 3 fields but the header has 2 columns/);
  });

  it('counts line breaks inside quoted fields when naming a ragged line', () => {
    const e = dataError(() => parseCsv('a,b\n"multi\nline",2\n1,2,3\n', 'r.csv'));
    expect(e.message).toMatch(/line 4 has 3 fields/);
  });

  it('duplicate and empty column names', () => {
    const dup = dataError(() => parseCsv('a,b,a\n1,2,3\n', 'd.csv'));
    expect(dup.field).toBe('a');
    expect(dup.message).toMatch(/"a" appears twice.*columns 1 and 3/);
    const dupTrim = dataError(() => parseCsv('a, a\n1,2\n', 'd.csv'));
    expect(dupTrim.field).toBe('a');
    const empty = dataError(() => parseCsv('a,,c\n1,2,3\n', 'e.csv'));
    expect(empty.field).toBe('file');
    expect(empty.message).toMatch(/column 2 of 3 has no name/);
  });

  it('an unclosed quote', () => {
    const e = dataError(() => parseCsv('a,b\n"open,2\n3,4\n', 'q.csv'));
    expect(e.field).toBe('file');
    expect(e.message).toMatch(/quoted field/);
  });
});

describe.skipIf(!HAVE_SHARED)('parseCsv: the real files in ../shared/data', () => {
  it('cc_general.csv: 8950 rows x 18 columns, comma, LF', () => {
    const t = parseCsv(readSharedText('data', 'cc_general.csv'), 'cc_general.csv');
    expect(t.n_rows).toBe(8950);
    expect(t.columns.length).toBe(18);
    expect(t.columns[0]).toBe('CUST_ID');
    expect(t.delimiter).toBe(',');
    expect(t.cells[0][0]).toBe('C10001');
    expect(t.cells[1][0]).toBe('40.900749');
    expect(t.cells.every((c) => c.length === 8950)).toBe(true);
    expect(t.cells[t.columns.indexOf('MINIMUM_PAYMENTS')].filter((s) => s === '').length).toBe(313);
  });

  it('mall_customers.csv: CRLF without final newline, zero-padded ids kept as text', () => {
    const text = readSharedText('data', 'mall_customers.csv');
    expect(text.includes('\r\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(false);
    const t = parseCsv(text, 'mall_customers.csv');
    expect(t.n_rows).toBe(200);
    expect(t.columns).toEqual(['CustomerID', 'Genre', 'Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
    expect(t.cells[0][0]).toBe('0001');
    expect(t.cells[0][199]).toBe('0200');
    expect(t.cells[4][199]).not.toMatch(/\r/);
  });

  it('marketing_campaign.csv: tab-separated, 2240 rows x 29 columns, 24 empty incomes', () => {
    const t = parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'marketing_campaign.csv');
    expect(t.delimiter).toBe('\t');
    expect(t.n_rows).toBe(2240);
    expect(t.columns.length).toBe(29);
    expect(t.cells[t.columns.indexOf('Income')].filter((s) => s === '').length).toBe(24);
    expect(t.cells[t.columns.indexOf('Dt_Customer')][0]).toBe('04-09-2012');
  });
});
