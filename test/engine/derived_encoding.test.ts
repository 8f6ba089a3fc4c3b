/**
 * Derived columns (sum, ratio, age) and one-hot encoding: computed values, missing cells (a ratio by zero is missing,
 * then imputed), the learned categories (an unseen category encodes to all zeros, as OneHotEncoder(handle_unknown=
 * 'ignore')), and new rows transformed exactly as the training rows were.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { addDerivedColumns, checkDerived, type DerivedColumn } from '../../workers/engine/data/derived.ts';
import { encodedColumns, encodedMatrix, fitCategories } from '../../workers/engine/data/encoding.ts';
import { deriveForScoring, fitPreprocessing, inputColumns, transformTable, type PreprocessingSpec } from '../../workers/engine/data/preprocess.ts';
import { dataError } from '../helpers/errors.ts';

// 6 customers: two spend columns, a count that is sometimes 0, a birth year, a category and an id
const T = parseCsv(
  [
    'id,wine,meat,visits,born,edu',
    'c1,10,5,2,1980,PhD',
    'c2,0,7,0,1990,Master',
    'c3,3,,1,1975,PhD',
    'c4,8,2,4,,Basic',
    'c5,1,1,0,2000,',
    'c6,6,4,2,1985,Master',
  ].join('\n'),
  't.csv',
);

const spec = (over: Partial<PreprocessingSpec>): PreprocessingSpec => ({ features: ['wine'], impute: 'median', log1p: [], scaler: 'none', ...over });

describe('derived columns', () => {
  it('sum, ratio (by zero: missing) and age; a definition may use an earlier one', () => {
    const defs: DerivedColumn[] = [
      { name: 'spend', kind: 'sum', columns: ['wine', 'meat'] },
      { name: 'per_visit', kind: 'ratio', columns: ['spend', 'visits'] },
      { name: 'age', kind: 'age', columns: ['born'], reference_year: 2024 },
    ];
    const t = addDerivedColumns(T, defs);
    expect(t.columns).toEqual([...T.columns, 'spend', 'per_visit', 'age']);
    expect(t.cells[6]).toEqual(['15', '7', '', '10', '2', '10']); // a missing part makes the sum missing
    expect(t.cells[7]).toEqual(['7.5', '', '', '2.5', '', '5']); // visits 0 -> missing
    expect(t.cells[8]).toEqual(['44', '34', '49', '', '24', '39']);
    expect(T.columns.length).toBe(6); // the loaded table is not changed
  });

  it('a missing ratio is imputed like any missing cell', () => {
    const p = fitPreprocessing(T, spec({ features: ['wine', 'r'], derived: [{ name: 'r', kind: 'ratio', columns: ['wine', 'visits'] }] }));
    // r = 5, -, 3, 2, -, 3 -> median 3 fills rows 2 and 5
    expect(p.fitted.columns).toEqual(['wine', 'r']);
    expect(p.missing_per_column).toEqual([0, 2]);
    expect(p.fitted.impute_values[1]).toBe(3);
    expect(Array.from({ length: 6 }, (_, i) => p.X.data[i * 2 + 1])).toEqual([5, 3, 3, 2, 3, 3]);
    expect(p.fitted.derived).toEqual([{ name: 'r', kind: 'ratio', columns: ['wine', 'visits'] }]);
    expect(p.fitted.features).toEqual(['wine', 'r']);
  });

  it('explains an invalid definition: empty name, existing name, unknown or text column, wrong count, bad year', () => {
    const avail = new Map<string, string[] | null>(T.columns.map((c, j) => [c, T.cells[j]]));
    const check = (d: Partial<DerivedColumn>) => dataError(() => checkDerived({ name: 'x', kind: 'sum', columns: ['wine', 'meat'], ...d } as DerivedColumn, avail));
    expect(check({ name: '  ' })).toMatchObject({ field: 'derived.name', message: expect.stringMatching(/needs a name/) });
    expect(check({ name: 'wine' })).toMatchObject({ field: 'derived.name', message: expect.stringMatching(/"wine" already exists/) });
    expect(check({ columns: ['wine', 'nope'] })).toMatchObject({ field: 'derived.columns', message: expect.stringMatching(/no column named "nope"/) });
    expect(check({ columns: ['wine', 'edu'] }).message).toMatch(/"edu" is not a numeric column/);
    expect(check({ columns: ['wine'] }).message).toMatch(/at least 2 columns/);
    expect(check({ kind: 'ratio', columns: ['wine', 'meat', 'visits'] }).message).toMatch(/exactly 2/);
    expect(check({ kind: 'age', columns: ['born'] })).toMatchObject({ field: 'derived.reference_year' });
    expect(check({ kind: 'avg' as never }).field).toBe('derived.kind');
    // through addDerivedColumns the field names the definition
    const e = dataError(() => addDerivedColumns(T, [{ name: 'a', kind: 'sum', columns: ['wine', 'meat'] }, { name: 'a', kind: 'sum', columns: ['wine', 'meat'] }]));
    expect(e.field).toBe('derived[1].name');
    expect(e.message).toMatch(/derived column 2 \("a"\)/);
  });

  it('new rows: computed from their sources, or a derived column given as it is', () => {
    const defs: DerivedColumn[] = [{ name: 'spend', kind: 'sum', columns: ['wine', 'meat'] }];
    const a = deriveForScoring(parseCsv('wine,meat\n1,2\n', 'n.csv'), defs);
    expect(a.cells[a.columns.indexOf('spend')]).toEqual(['3']);
    const b = deriveForScoring(parseCsv('wine,meat,spend\n1,2,99\n', 'n.csv'), defs); // recomputed from the sources
    expect(b.cells[b.columns.indexOf('spend')]).toEqual(['3']);
    const c = deriveForScoring(parseCsv('spend\n42\n', 'n.csv'), defs); // no sources: used as given
    expect(c.cells[0]).toEqual(['42']);
    expect(dataError(() => deriveForScoring(parseCsv('wine\n1\n', 'n.csv'), defs)).message).toMatch(/no column "meat", needed to compute "spend"/);
  });
});

describe('one-hot encoding', () => {
  it('learns sorted categories, one 0/1 column each, missing -> all zeros', () => {
    expect(fitCategories(T, 'edu')).toEqual(['Basic', 'Master', 'PhD']);
    expect(encodedColumns(['wine', 'edu'], { edu: ['Basic', 'Master', 'PhD'] })).toEqual(['wine', 'edu=Basic', 'edu=Master', 'edu=PhD']);
    const { matrix } = encodedMatrix(T, ['edu'], { edu: ['Basic', 'Master', 'PhD'] });
    expect(Array.from(matrix.data)).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('fits with the one-hot columns passed through unscaled, and applies the same encoding to new rows (unseen -> zeros)', () => {
    const p = fitPreprocessing(T, { features: ['wine', 'edu', 'meat'], impute: 'median', log1p: ['wine'], scaler: 'standard', one_hot: ['edu'] });
    expect(p.fitted.columns).toEqual(['wine', 'edu=Basic', 'edu=Master', 'edu=PhD', 'meat']);
    expect(p.fitted.categories).toEqual({ edu: ['Basic', 'Master', 'PhD'] });
    expect(p.fitted.center.slice(1, 4)).toEqual([0, 0, 0]);
    expect(p.fitted.scale.slice(1, 4)).toEqual([1, 1, 1]);
    expect(p.X.n_features).toBe(5);
    expect(Array.from(p.X.data.subarray(5, 10)).slice(1, 4)).toEqual([0, 1, 0]); // c2 is Master
    expect(inputColumns(p.fitted)).toEqual(['wine', 'edu', 'meat']);
    // training rows through transformTable give the training matrix
    const again = transformTable(p.fitted, T).X;
    expect(Array.from(again.data)).toEqual(Array.from(p.X.data));
    // a new customer with an unseen category, and one with a missing category
    const fresh = parseCsv('meat,edu,wine\n5,Doctorate,3\n5,,3\n5, PhD ,3\n', 'new.csv');
    const X = transformTable(p.fitted, fresh).X;
    expect(Array.from(X.data.subarray(1, 4))).toEqual([0, 0, 0]);
    expect(Array.from(X.data.subarray(6, 9))).toEqual([0, 0, 0]);
    expect(Array.from(X.data.subarray(11, 14))).toEqual([0, 0, 1]); // surrounding spaces ignored
    expect(X.data[0]).toBeCloseTo((Math.log1p(3) - p.fitted.center[0]) / p.fitted.scale[0], 12);
  });

  it('refuses log1p on a one-hot column, a column with too many categories, and a one-hot column that is not a feature', () => {
    expect(dataError(() => fitPreprocessing(T, spec({ features: ['edu'], one_hot: ['edu'], log1p: ['edu'] }))).message).toMatch(/one-hot.*log1p/);
    expect(dataError(() => fitPreprocessing(T, spec({ features: ['wine'], one_hot: ['edu'] }))).field).toBe('edu');
    const many = parseCsv('k,v\n' + Array.from({ length: 60 }, (_, i) => `k${i},${i}`).join('\n'), 'm.csv');
    expect(dataError(() => fitCategories(many, 'k')).message).toMatch(/more than 50 distinct values/);
  });

  it('derived and one-hot together: the model needs the source columns, not the derived ones', () => {
    const p = fitPreprocessing(T, {
      features: ['edu', 'spend', 'age'],
      impute: 'median',
      log1p: ['spend'],
      scaler: 'standard',
      one_hot: ['edu'],
      derived: [
        { name: 'spend', kind: 'sum', columns: ['wine', 'meat'] },
        { name: 'age', kind: 'age', columns: ['born'], reference_year: 2024 },
      ],
    });
    expect(inputColumns(p.fitted)).toEqual(['edu', 'wine', 'meat', 'born']);
    const fresh = parseCsv('born,wine,meat,edu\n1980,10,5,PhD\n', 'new.csv');
    const row0 = Array.from(p.X.data.subarray(0, p.X.n_features));
    expect(Array.from(transformTable(p.fitted, fresh).X.data)).toEqual(row0);
  });
});
