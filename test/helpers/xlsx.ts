/**
 * Small .xlsx workbooks built in tests from hand-written XML (no binary fixtures): fflate's zipSync over the parts
 * Excel writes (content types, workbook + its relationships, shared strings, one part per worksheet).
 */
import { strToU8, zipSync } from 'fflate';

export interface SheetSpec {
  name: string;
  /** The <sheetData> inner XML (rows and cells). */
  rows: string;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A workbook with the given sheets and (optionally) the <si> items of the shared strings table. */
export function makeXlsx(sheets: SheetSpec[], sharedStrings: string[] | null = null): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  files['[Content_Types].xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="xml" ContentType="application/xml"/></Types>`,
  );
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>` +
      sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      `</sheets></workbook>`,
  );
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      sheets
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join('') +
      `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}"><sheetData>${s.rows}</sheetData></worksheet>`,
    );
  });
  if (sharedStrings) {
    files['xl/sharedStrings.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}" count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">` +
        sharedStrings.join('') +
        `</sst>`,
    );
  }
  return zipSync(files);
}

/** A one-sheet workbook holding a table as inline strings (text) and numbers, with cell references. */
export function tableXlsx(columns: string[], rows: string[][], sheet = 'Sheet1'): Uint8Array {
  const col = (j: number) => {
    let s = '';
    let c = j + 1;
    while (c > 0) {
      s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
      c = Math.floor((c - 1) / 26);
    }
    return s;
  };
  const cell = (v: string, j: number, r: number) => {
    if (v === '') return '';
    const ref = `${col(j)}${r}`;
    return /^-?\d+(\.\d+)?$/.test(v) && !/^0\d/.test(v) ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  };
  const xml = [columns, ...rows].map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(v, j, i + 1)).join('')}</row>`).join('');
  return makeXlsx([{ name: sheet, rows: xml }]);
}
