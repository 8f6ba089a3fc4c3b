/**
 * The configuration's new preprocessing fields: `derived`, `one_hot` and `fitted.categories`. Validation names the
 * first bad field; the spec and the fitted preprocessing come back from a configuration as they went in.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../workers/engine/config/config.ts';
import { fittedFromConfig, preprocessingConfig, specFromConfig } from '../../workers/engine/config/spec.ts';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { fitPreprocessing, transformTable, type PreprocessingSpec } from '../../workers/engine/data/preprocess.ts';

const base = (preprocessing: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  format: 'clustertune-config',
  version: 1,
  preprocessing: { impute: 'median', scaler: 'standard', ...preprocessing },
  estimators: [{ name: 'KMeans', params: { n_clusters: 2 } }],
  ...extra,
});

function configError(value: unknown): ConfigError {
  try {
    validateConfig(value);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validating derived, one_hot and fitted.categories', () => {
  it('accepts a hand-written file and keeps the fields', () => {
    const c = validateConfig(
      base({
        features: ['Income', 'Education', 'Total_Spend', 'Age'],
        derived: [
          { name: 'Total_Spend', kind: 'sum', columns: ['MntWines', 'MntFruits'] },
          { name: 'Age', kind: 'age', columns: ['Year_Birth'], reference_year: 2024 },
        ],
        one_hot: ['Education'],
      }),
    );
    expect(c.preprocessing.derived?.[1]).toEqual({ name: 'Age', kind: 'age', columns: ['Year_Birth'], reference_year: 2024 });
    expect(c.preprocessing.one_hot).toEqual(['Education']);
  });

  it('names the first bad field', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ derived: {} }, 'preprocessing.derived', /must be a list/],
      [{ derived: [{ name: '', kind: 'sum', columns: ['a', 'b'] }] }, 'preprocessing.derived[0].name', /non-empty/],
      [{ derived: [{ name: 'T', kind: 'avg', columns: ['a', 'b'] }] }, 'preprocessing.derived[0].kind', /"sum", "ratio", "age".*"avg"/],
      [{ derived: [{ name: 'T', kind: 'ratio', columns: ['a'] }] }, 'preprocessing.derived[0].columns', /exactly 2 columns/],
      [{ derived: [{ name: 'T', kind: 'sum', columns: ['a', 'T'] }] }, 'preprocessing.derived[0].columns', /uses the column it defines/],
      [{ derived: [{ name: 'A', kind: 'age', columns: ['y'] }] }, 'preprocessing.derived[0].reference_year', /a year/],
      [{ derived: [{ name: 'T', kind: 'sum', columns: ['a', 'b'], reference_year: 2020 }] }, 'preprocessing.derived[0].reference_year', /only to kind "age"/],
      [{ derived: [{ name: 'T', kind: 'sum', columns: ['a', 'b'], extra: 1 }] }, 'preprocessing.derived[0].extra', /unknown key/],
      [
        { derived: [{ name: 'T', kind: 'sum', columns: ['a', 'b'] }, { name: 'T', kind: 'sum', columns: ['a', 'b'] }] },
        'preprocessing.derived[1].name',
        /earlier derived column/,
      ],
      [{ features: ['a'], one_hot: ['b'] }, 'preprocessing.one_hot[0]', /not one of preprocessing.features/],
      [{ features: ['a'], one_hot: ['a'], log1p: ['a'] }, 'preprocessing.log1p[0]', /one-hot encoded/],
      [
        { features: ['a', 'e'], one_hot: ['e'], fitted: { impute_values: [1, 0], center: [0, 0], scale: [1, 1] } },
        'preprocessing.fitted.categories',
        /categories is missing/,
      ],
      [
        { features: ['a', 'e'], one_hot: ['e'], fitted: { impute_values: [1, 0, 0], center: [0, 0, 0], scale: [1, 1, 1], categories: { e: ['x', 'y'], z: ['q'] } } },
        'preprocessing.fitted.categories.z',
        /not listed in preprocessing.one_hot/,
      ],
      [
        { features: ['a', 'e'], one_hot: ['e'], fitted: { impute_values: [1, 0], center: [0, 0], scale: [1, 1], categories: { e: ['x', 'y'] } } },
        'preprocessing.fitted.impute_values',
        /one value per feature column \(3\), got 2/,
      ],
      [
        { features: ['a', 'e'], one_hot: ['e'], fitted: { impute_values: [1, 0, 0], center: [0, 0, 0], scale: [1, 1, 1], categories: { e: [] } } },
        'preprocessing.fitted.categories.e',
        /at least one category/,
      ],
    ];
    for (const [pre, field, message] of cases) {
      const e = configError(base(pre));
      expect(e.field, JSON.stringify(pre)).toBe(field);
      expect(e.message).toMatch(message);
      expect(e.message).toContain(field);
    }
  });

  it('checks KMeans init rows against the encoded width', () => {
    const pre = { features: ['a', 'e'], one_hot: ['e'], fitted: { impute_values: [1, 0, 0], center: [0, 0, 0], scale: [1, 1, 1], categories: { e: ['x', 'y'] } } };
    const ok = validateConfig(base(pre, { estimators: [{ name: 'KMeans', params: { n_clusters: 1, init: [[0, 1, 0]] } }] }));
    expect(ok.estimators[0].params.init).toEqual([[0, 1, 0]]);
    const e = configError(base(pre, { estimators: [{ name: 'KMeans', params: { n_clusters: 1, init: [[0, 1]] } }] }));
    expect(e.field).toBe('estimators[0].params.init');
  });
});

describe('spec and fitted preprocessing from a configuration', () => {
  const T = parseCsv('id,a,b,e\nr1,1,2,x\nr2,3,4,y\nr3,5,0,x\n', 't.csv');
  const spec: PreprocessingSpec = {
    features: ['a', 'e', 'r'],
    impute: 'median',
    log1p: [],
    scaler: 'standard',
    derived: [{ name: 'r', kind: 'ratio', columns: ['a', 'b'] }],
    one_hot: ['e'],
  };

  it('round-trips: preprocessingConfig -> validate -> specFromConfig / fittedFromConfig', () => {
    const p = fitPreprocessing(T, spec);
    const pre = preprocessingConfig(spec, p.fitted, T.columns);
    expect(pre.exclude).toEqual(['id', 'b']);
    expect(pre.fitted?.categories).toEqual({ e: ['x', 'y'] });
    const config = validateConfig(base(pre as Record<string, unknown>));
    expect(specFromConfig(config, { columns: T.columns, default_features: ['a', 'b'] })).toEqual(spec);
    const fitted = fittedFromConfig(config)!;
    expect(fitted.columns).toEqual(['a', 'e=x', 'e=y', 'r']);
    expect(Array.from(transformTable(fitted, T).X.data)).toEqual(Array.from(p.X.data));
  });

  it('names a derived column that uses a column the data lacks, or clashes with one it has', () => {
    const c1 = validateConfig(base({ features: ['a', 'r'], derived: [{ name: 'r', kind: 'ratio', columns: ['a', 'zzz'] }] }));
    expect(() => specFromConfig(c1, { columns: T.columns, default_features: [] })).toThrow(/preprocessing.derived\[0\].columns names "zzz"/);
    const c2 = validateConfig(base({ features: ['a', 'b'], derived: [{ name: 'b', kind: 'ratio', columns: ['a', 'a2'] }] }));
    expect(() => specFromConfig(c2, { columns: T.columns, default_features: [] })).toThrow(/derived\[0\].name "b" is already a column/);
  });

  it('without features: the encoded dataset.columns map back to their one-hot column', () => {
    const config = validateConfig(
      base({ one_hot: ['e'] }, { dataset: { name: 't.csv', n_samples: 3, n_features: 3, columns: ['a', 'e=x', 'e=y'], fingerprint: 'sha256:' + '0'.repeat(64) } }),
    );
    expect(specFromConfig(config, { columns: T.columns, default_features: ['a', 'b'] }).features).toEqual(['a', 'e']);
  });
});
