/**
 * More kinds of customer data, through the data worker's service and the command line, on the real files:
 * mall_customers.csv (CRLF, zero-padded ids), marketing_campaign.csv (tab-separated, categorical columns, 24 missing
 * incomes), an .xlsx workbook with two sheets, derived columns and one-hot encoding recorded in the configuration.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { DataService, prepareTable } from '../../workers/services/data_service.ts';
import { SegmentsService } from '../../workers/services/segments_service.ts';
import { fitEstimator } from '../../workers/engine/cluster/estimators.ts';
import { inputColumns } from '../../workers/engine/data/preprocess.ts';
import type { Outcome } from '../../src/jobs/protocol.ts';
import { main } from '../../cli/main.ts';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { makeXlsx, tableXlsx } from '../helpers/xlsx.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, readSharedText, sharedPath } from '../helpers/shared.ts';

function value<T>(o: Outcome<T>): T {
  if (!o.ok) throw new Error(`${o.error.field}: ${o.error.message}`);
  return o.value;
}

const MNT = ['MntWines', 'MntFruits', 'MntMeatProducts', 'MntFishProducts', 'MntSweetProducts', 'MntGoldProds'];

describe('the data service: Excel workbooks and derived columns', () => {
  const book = makeXlsx([
    { name: 'Notes', rows: '<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>hi</t></is></c></row>' },
    {
      name: 'Customers',
      rows: [['spend', 'visits', 'tier'], ['10', '2', 'gold'], ['4', '0', 'silver'], ['7', '1', 'gold'], ['1', '3', 'silver'], ['9', '2', 'gold']]
        .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => (i === 0 || j === 2 ? `<c r="${'ABC'[j]}${i + 1}" t="inlineStr"><is><t>${v}</t></is></c>` : `<c r="${'ABC'[j]}${i + 1}"><v>${v}</v></c>`)).join('')}</row>`)
        .join(''),
    },
  ]);

  it('opens the first sheet of an .xlsx that has something to cluster, lists the sheets and reads another one', async () => {
    const svc = new DataService();
    // the first sheet holds only text: the next one is opened
    const b = value(await svc.openFile(new File([book as Uint8Array<ArrayBuffer>], 'book.xlsx')));
    expect(b.table.sheets).toEqual(['Notes', 'Customers']);
    expect(b.table.sheet).toBe('Customers');
    expect(b.table.columns).toEqual(['spend', 'visits', 'tier']);
    expect(b.prepared.spec.features).toEqual(['spend', 'visits']);
    expect(b.table.summaries.find((s) => s.name === 'tier')!.kind).toBe('categorical');
    // choosing the notes sheet explains why it cannot be used, and keeps the table
    const notes = await svc.openSheet('Notes');
    expect(notes.ok).toBe(false);
    if (!notes.ok) expect(notes.error.message).toMatch(/no feature columns/);
    expect(svc.preview(1)).toEqual([['10', '2', 'gold']]);
    const bad = await svc.openSheet('Nope');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('sheet');
  }, 20_000);

  it('a corrupt workbook or an .xls gives a clear error and keeps the previous table', async () => {
    const svc = new DataService();
    value(await svc.openText('a,b\n1,2\n3,4\n', 'ok.csv'));
    const broken = book.slice(0, 120);
    const r = await svc.openFile(new File([broken as Uint8Array<ArrayBuffer>], 'broken.xlsx'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/broken\.xlsx.*(damaged|could not be opened)/);
    const x = await svc.openFile(new File(['x'], 'old.xls'));
    expect(x.ok).toBe(false);
    if (!x.ok) expect(x.error.message).toMatch(/save it as CSV .* or as an Excel \.xlsx workbook/);
    expect(svc.preview(1)).toEqual([['1', '2']]);
  });

  it('adds a derived column (a new table description), labels the CSV with it, and refuses a bad one', async () => {
    const svc = new DataService();
    const o = value(await svc.openText('spend,visits\n10,2\n4,0\n7,1\n', 'v.csv'));
    const spec = { ...o.prepared.spec, derived: [{ name: 'per_visit', kind: 'ratio' as const, columns: ['spend', 'visits'] }], features: ['spend', 'visits', 'per_visit'] };
    const p = value(await svc.prepare(spec));
    expect(p.table?.columns).toEqual(['spend', 'visits', 'per_visit']);
    expect(p.table?.loaded_columns).toEqual(['spend', 'visits']);
    expect(p.missing_per_column).toEqual([0, 0, 1]);
    expect(p.n_imputed_cells).toBe(1);
    // the same spec again: no new table description
    expect(value(await svc.prepare(spec)).table).toBeUndefined();
    const csv = value(await svc.labelledCsv([{ name: 'cluster', labels: Int32Array.from([0, 1, 0]) }], p.row_index, spec.derived));
    expect(csv.split('\n')).toEqual(['spend,visits,per_visit,cluster', '10,2,5,0', '4,0,,1', '7,1,7,0']);
    const bad = await svc.prepare({ ...spec, derived: [...spec.derived, { name: 'spend', kind: 'sum', columns: ['spend', 'visits'] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ field: 'derived[1].name', message: expect.stringMatching(/"spend" already exists/) });
  });
});

describe.skipIf(!HAVE_SHARED)(`the real customer files (${HAVE_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  it('mall_customers.csv: 200 rows x 5 columns, CustomerID an excluded identifier, Genre one-hot on request', async () => {
    const svc = new DataService();
    const o = value(await svc.openFile(new File([readSharedText('data', 'mall_customers.csv')], 'mall_customers.csv')));
    expect(o.table.n_rows).toBe(200);
    expect(o.table.columns.length).toBe(5);
    expect(o.table.delimiter).toBe(',');
    const kind = Object.fromEntries(o.table.summaries.map((s) => [s.name, s.kind]));
    expect(kind).toMatchObject({ CustomerID: 'identifier', Genre: 'categorical', Age: 'numeric' });
    expect(o.prepared.spec.features).toEqual(['Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
    const p = value(await svc.prepare({ ...o.prepared.spec, features: ['Genre', ...o.prepared.spec.features], one_hot: ['Genre'] }));
    expect(p.fitted.columns).toEqual(['Genre=Female', 'Genre=Male', 'Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
    let female = 0;
    for (let i = 0; i < 200; i++) female += p.raw[i * 5];
    expect(female).toBe(112);
  });

  it('marketing_campaign.csv: tab-separated, 2240 x 29, ID excluded, 24 missing incomes, Total_Spend and one-hot Education', async () => {
    const svc = new DataService();
    const o = value(await svc.openFile(new File([readSharedText('data', 'marketing_campaign.csv')], 'marketing_campaign.csv')));
    expect(o.table.delimiter).toBe('\t');
    expect(o.table.n_rows).toBe(2240);
    expect(o.table.columns.length).toBe(29);
    expect(o.prepared.spec.features).not.toContain('ID');
    expect(o.table.summaries.find((s) => s.name === 'Income')!.n_missing).toBe(24);
    expect(o.prepared.n_imputed_cells).toBe(24);
    const features = ['Income', 'Education', 'Total_Spend', 'Age'];
    const p = value(
      await svc.prepare({
        features,
        impute: 'median',
        log1p: ['Total_Spend'],
        scaler: 'standard',
        one_hot: ['Education'],
        derived: [
          { name: 'Total_Spend', kind: 'sum', columns: MNT },
          { name: 'Age', kind: 'age', columns: ['Year_Birth'], reference_year: 2014 },
        ],
      }),
    );
    expect(p.fitted.columns).toEqual(['Income', 'Education=2n Cycle', 'Education=Basic', 'Education=Graduation', 'Education=Master', 'Education=PhD', 'Total_Spend', 'Age']);
    const t = parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'm.csv');
    const total0 = MNT.reduce((a, c) => a + Number(t.cells[t.columns.indexOf(c)][0]), 0);
    expect(p.raw[6]).toBe(total0); // 635 + 88 + 546 + 172 + 88 + 88
    expect(p.raw[7]).toBe(2014 - 1957);
    expect(p.table?.summaries.find((s) => s.name === 'Total_Spend')!.kind).toBe('numeric');
  });
});

describe('scoring new customers with derived and one-hot columns (segments service)', () => {
  it('a training customer given by its input columns scores to its own label; a CSV of them likewise', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`${(i * 37) % 100}`, `${(i * 11) % 50}`, `${1950 + ((i * 7) % 50)}`, ['gold', 'silver', 'bronze'][i % 3]]);
    const table = parseCsv(Papa.unparse({ fields: ['wine', 'meat', 'born', 'tier'], data: rows }), 't.csv');
    const p = await prepareTable(table, {
      features: ['spend', 'age', 'tier'],
      impute: 'median',
      log1p: [],
      scaler: 'standard',
      one_hot: ['tier'],
      derived: [
        { name: 'spend', kind: 'sum', columns: ['wine', 'meat'] },
        { name: 'age', kind: 'age', columns: ['born'], reference_year: 2020 },
      ],
    });
    expect(inputColumns(p.fitted)).toEqual(['wine', 'meat', 'born', 'tier']);
    const svc = new SegmentsService();
    svc.setData({ key: p.key, X: p.X, raw: p.raw, n_samples: p.n_samples, n_features: p.n_features, features: p.fitted.columns, fitted: p.fitted });
    const est = { name: 'KMeans' as const, params: { n_clusters: 3, random_state: 0 } };
    const r = fitEstimator({ data: p.X, n_samples: p.n_samples, n_features: p.n_features }, est);
    const fit = { id: 'k3', estimator: est, labels: r.labels, model: r.model };
    const s = value(await svc.scoreInput(p.key, fit, rows.slice(0, 20)));
    expect(s.labels).toEqual(Array.from(r.labels.subarray(0, 20)));
    // a category never seen in training is all zeros: still scored
    const odd = value(await svc.scoreInput(p.key, fit, [['10', '10', '1980', 'platinum']]));
    expect(odd.X[0].slice(2)).toEqual([0, 0, 0]);
    const bad = await svc.scoreInput(p.key, fit, [['lots', '10', '1980', 'gold']]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/"wine" is not numeric/);
    // batch: the needed columns in any order, plus others; the answer adds the derived columns
    const csv = Papa.unparse({ fields: ['note', 'tier', 'born', 'meat', 'wine'], data: rows.slice(0, 5).map((x, i) => [`n${i}`, x[3], x[2], x[1], x[0]]) });
    const b = value(await svc.scoreCsv(p.key, fit, csv, 'new.csv', { 0: 'A', 1: 'B', 2: 'C' }));
    const out = Papa.parse<string[]>(b.csv.trim()).data;
    expect(out[0]).toEqual(['note', 'tier', 'born', 'meat', 'wine', 'spend', 'age', 'cluster', 'cluster_name']);
    expect(out.slice(1).map((x) => Number(x.at(-2)))).toEqual(Array.from(r.labels.subarray(0, 5)));
    const lacking = await svc.scoreCsv(p.key, fit, 'wine,tier\n1,gold\n', 'bad.csv', {});
    expect(lacking.ok).toBe(false);
    if (!lacking.ok) expect(lacking.error.message).toMatch(/has no column "meat", "born"/);
  });
});

describe.skipIf(!HAVE_SHARED)('the command line with derived and one-hot columns on marketing_campaign.csv', () => {
  let dir: string;
  let out: string[] = [];
  let err: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clustertune-cd-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => (err.push(String(s)), true));
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  async function run(...args: string[]) {
    out = [];
    err = [];
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('cluster --save-config records derived, one_hot and categories; predict on new rows gives the training labels', async () => {
    const cfg = join(dir, 'c.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        format: 'clustertune-config',
        version: 1,
        preprocessing: {
          features: ['Income', 'Recency', 'Total_Spend', 'Marital_Status'],
          derived: [{ name: 'Total_Spend', kind: 'sum', columns: MNT }],
          one_hot: ['Marital_Status'],
          impute: 'median',
          log1p: ['Total_Spend'],
          scaler: 'standard',
        },
        estimators: [{ name: 'KMeans', params: { n_clusters: 4, random_state: 0, n_init: 3 } }],
      }),
    );
    const trainOut = join(dir, 'train.csv');
    const fitted = join(dir, 'fitted.json');
    const r = await run('cluster', '--data', sharedPath('data', 'marketing_campaign.csv'), '--config', cfg, '--out', trainOut, '--save-config', fitted);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.n_samples).toBe(2240);
    expect(summary.n_features).toBe(3 + 8); // Marital_Status has 8 categories
    const saved = JSON.parse(readFileSync(fitted, 'utf8'));
    expect(saved.preprocessing.derived).toEqual([{ name: 'Total_Spend', kind: 'sum', columns: MNT }]);
    expect(saved.preprocessing.one_hot).toEqual(['Marital_Status']);
    expect(saved.preprocessing.fitted.categories.Marital_Status).toEqual(['Absurd', 'Alone', 'Divorced', 'Married', 'Single', 'Together', 'Widow', 'YOLO']);
    expect(saved.preprocessing.fitted.center.length).toBe(11);
    expect(saved.dataset.columns).toContain('Marital_Status=YOLO');
    const train = Papa.parse<string[]>(readFileSync(trainOut, 'utf8').trim()).data;
    expect(train[0]).toEqual([...parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'm').columns, 'Total_Spend', 'cluster']);

    // new customers: the first 50 rows with only the columns the model needs (comma-separated), one unseen status
    const t = parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'm.csv');
    const need = ['Income', 'Recency', ...MNT, 'Marital_Status'];
    const rows = Array.from({ length: 50 }, (_, i) => need.map((c) => t.cells[t.columns.indexOf(c)][i]));
    rows.push(rows[0].map((v, j) => (need[j] === 'Marital_Status' ? 'Complicated' : v)));
    const newCsv = join(dir, 'new.csv');
    writeFileSync(newCsv, Papa.unparse({ fields: need, data: rows }));
    const predOut = join(dir, 'pred.csv');
    const p = await run('predict', '--config', fitted, '--data', newCsv, '--out', predOut);
    expect(p.code, p.stderr).toBe(0);
    const pred = Papa.parse<string[]>(readFileSync(predOut, 'utf8').trim()).data;
    expect(pred[0]).toEqual([...need, 'Total_Spend', 'cluster']);
    const trainLabels = train.slice(1, 51).map((r) => r.at(-1));
    expect(pred.slice(1, 51).map((r) => r.at(-1))).toEqual(trainLabels);
    expect(pred[51].at(-1)).toMatch(/^[0-3]$/); // the unseen category is all zeros, still scored

    // an .xlsx of the same rows predicts the same
    const xlsx = join(dir, 'new.xlsx');
    writeFileSync(xlsx, tableXlsx(need, rows));
    const px = await run('predict', '--config', fitted, '--data', xlsx, '--out', join(dir, 'predx.csv'));
    expect(px.code, px.stderr).toBe(0);
    expect(Papa.parse<string[]>(readFileSync(join(dir, 'predx.csv'), 'utf8').trim()).data.map((r) => r.at(-1))).toEqual(pred.map((r) => r.at(-1)));
  }, 60_000);
});
