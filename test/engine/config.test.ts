import { describe, it, expect } from 'vitest';
import {
  ConfigError,
  EMBEDDING_PARAMS,
  ESTIMATOR_PARAMS,
  datasetMismatch,
  parseConfig,
  serializeConfig,
  validateConfig,
  withDefaults,
  type ClusterTuneConfig,
} from '../../workers/engine/config/config.ts';

const FP = 'sha256:' + 'ab'.repeat(32);

/** The example of ../shared/DESIGN.md, with concrete columns. */
function designExample(): any {
  return {
    format: 'clustertune-config',
    version: 1,
    dataset: { name: 'cc_general.csv', n_samples: 8950, n_features: 3, columns: ['BALANCE', 'PURCHASES', 'TENURE'], fingerprint: FP },
    preprocessing: { exclude: ['CUST_ID'], impute: 'median', log1p: [], scaler: 'standard', fitted: { impute_values: [1, 2, 12], center: [0.5, 1, 11.5], scale: [2, 3, 1] } },
    estimators: [
      { name: 'DBSCAN', params: { eps: 1.5, min_samples: 10, metric: 'euclidean' } },
      { name: 'KMeans', params: { n_clusters: 4, init: 'k-means++', n_init: 10, random_state: 0 } },
    ],
    embedding: { name: 'TSNE', params: { n_components: 2, perplexity: 30, random_state: 0, init: 'pca' } },
    result: [{ n_clusters: 3, n_noise: 412, silhouette: 0.21 }],
  };
}

const minimal = () => ({ format: 'clustertune-config', version: 1, preprocessing: { impute: 'median', scaler: 'standard' }, estimators: [{ name: 'KMeans', params: { n_clusters: 3 } }] }) as any;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** validateConfig on the minimal config with `edit` applied; returns the error. */
function bad(edit: (c: any) => void, base: () => any = minimal): ConfigError {
  const c = base();
  edit(c);
  return configError(() => validateConfig(c));
}

const est = (name: string, params: Record<string, unknown>) => (c: any) => {
  c.estimators = [{ name, params }];
};

describe('valid configurations', () => {
  it('the DESIGN.md example is valid and round-trips through serialize / parse', () => {
    const c = validateConfig(designExample());
    const text = serializeConfig(c);
    expect(text).toContain('\n  "format": "clustertune-config"');
    expect(parseConfig(text)).toEqual(c);
    expect(serializeConfig(parseConfig(text))).toBe(text);
  });

  it('a hand-written file with only the required keys; missing log1p means []', () => {
    const c = parseConfig(JSON.stringify(minimal()));
    expect(c.preprocessing.log1p).toEqual([]);
    expect(c.dataset).toBeUndefined();
    expect(c.estimators[0]).toEqual({ name: 'KMeans', params: { n_clusters: 3 } });
    const noParams = validateConfig({ ...minimal(), estimators: [{ name: 'DBSCAN' }] });
    expect(noParams.estimators[0].params).toEqual({});
  });

  it('accepts every estimator with scikit-learn values, up to 4 estimators', () => {
    const c = validateConfig({
      ...minimal(),
      estimators: [
        { name: 'KMeans', params: { n_clusters: 2, init: 'random', n_init: 'auto', max_iter: 300, tol: 0, random_state: 42, algorithm: 'lloyd' } },
        { name: 'AgglomerativeClustering', params: { n_clusters: null, distance_threshold: 2.5, linkage: 'average', metric: 'cosine', compute_full_tree: true } },
        { name: 'DBSCAN', params: { eps: 0.3, min_samples: 1, metric: 'manhattan' } },
        { name: 'GaussianMixture', params: { n_components: 4, covariance_type: 'diag', reg_covar: 0, tol: 1e-3, max_iter: 100, n_init: 2, init_params: 'k-means++', random_state: null } },
      ],
    });
    expect(c.estimators.length).toBe(4);
  });

  it('KMeans init may be explicit rows', () => {
    const c = validateConfig({ ...minimal(), estimators: [{ name: 'KMeans', params: { n_clusters: 2, init: [[0, 1], [2, 3]], n_init: 1 } }] });
    expect(c.estimators[0].params.init).toEqual([[0, 1], [2, 3]]);
  });

  it("AgglomerativeClustering's old `affinity` name is accepted and becomes `metric`", () => {
    const c = validateConfig({ ...minimal(), estimators: [{ name: 'AgglomerativeClustering', params: { n_clusters: 3, linkage: 'complete', affinity: 'manhattan' } }] });
    expect(c.estimators[0].params).toEqual({ n_clusters: 3, linkage: 'complete', metric: 'manhattan' });
  });

  it('does not mutate its input, and ignores keys whose value is undefined', () => {
    const input = designExample();
    input.embedding = undefined;
    const before = JSON.stringify(input);
    const c = validateConfig(input);
    expect(JSON.stringify(input)).toBe(before);
    expect('embedding' in c).toBe(false);
    c.estimators[0].params.eps = 99;
    expect(input.estimators[0].params.eps).toBe(1.5);
  });

  it('accepts a BOM before the JSON', () => {
    expect(parseConfig('\uFEFF' + JSON.stringify(minimal())).version).toBe(1);
  });
});

describe('ConfigError paths', () => {
  it('empty file and text that is not JSON', () => {
    for (const text of ['', '   \n']) {
      const e = configError(() => parseConfig(text));
      expect(e.field).toBe('file');
      expect(e.message).toMatch(/empty/);
    }
    const e = configError(() => parseConfig('{"format": '));
    expect(e.field).toBe('file');
    expect(e.message).toMatch(/not valid JSON/);
    expect(configError(() => parseConfig('[1, 2]')).field).toBe('file');
    expect(configError(() => parseConfig('"text"')).field).toBe('file');
  });

  it('format, version and unknown top-level keys', () => {
    expect(bad((c) => (c.format = 'other')).field).toBe('format');
    expect(bad((c) => delete c.format).field).toBe('format');
    const v = bad((c) => (c.version = 2));
    expect(v.field).toBe('version');
    expect(v.message).toMatch(/version must be 1 \(got 2\)/);
    const k = bad((c) => (c.colour = 'red'));
    expect(k.field).toBe('colour');
    expect(k.message).toMatch(/unknown key "colour"/);
  });

  it('dataset fields', () => {
    const d = (edit: (ds: any) => void) => bad((c) => edit(c.dataset), designExample).field;
    expect(bad((c) => (c.dataset = 'x'), designExample).field).toBe('dataset');
    expect(d((ds) => (ds.name = 5))).toBe('dataset.name');
    expect(d((ds) => (ds.n_samples = 0))).toBe('dataset.n_samples');
    expect(d((ds) => (ds.n_features = 2.5))).toBe('dataset.n_features');
    expect(d((ds) => (ds.columns = 'BALANCE'))).toBe('dataset.columns');
    expect(d((ds) => (ds.columns = ['BALANCE', 'PURCHASES']))).toBe('dataset.columns');
    expect(d((ds) => (ds.columns[1] = 7))).toBe('dataset.columns[1]');
    expect(d((ds) => (ds.columns[2] = 'BALANCE'))).toBe('dataset.columns[2]');
    expect(d((ds) => (ds.fingerprint = 'md5:abc'))).toBe('dataset.fingerprint');
    expect(d((ds) => (ds.fingerprint = 'sha256:' + 'AB'.repeat(32)))).toBe('dataset.fingerprint');
    expect(d((ds) => (ds.extra = 1))).toBe('dataset.extra');
  });

  it('preprocessing fields', () => {
    expect(bad((c) => delete c.preprocessing).field).toBe('preprocessing');
    expect(bad((c) => (c.preprocessing = [])).field).toBe('preprocessing');
    expect(bad((c) => delete c.preprocessing.impute).field).toBe('preprocessing.impute');
    const imp = bad((c) => (c.preprocessing.impute = 'zero'));
    expect(imp.field).toBe('preprocessing.impute');
    expect(imp.message).toMatch(/must be one of "median", "mean", "drop" \(got "zero"\)/);
    expect(bad((c) => delete c.preprocessing.scaler).field).toBe('preprocessing.scaler');
    expect(bad((c) => (c.preprocessing.scaler = 'z-score')).field).toBe('preprocessing.scaler');
    expect(bad((c) => (c.preprocessing.log1p = 'BALANCE')).field).toBe('preprocessing.log1p');
    expect(bad((c) => (c.preprocessing.log1p = [1])).field).toBe('preprocessing.log1p[0]');
    expect(bad((c) => (c.preprocessing.scalar = 'standard')).field).toBe('preprocessing.scalar');
    expect(bad((c) => (c.preprocessing.exclude = [''])).field).toBe('preprocessing.exclude[0]');
    expect(bad((c) => Object.assign(c.preprocessing, { features: ['a', 'b'], exclude: ['b'] })).field).toBe('preprocessing.exclude[0]');
    expect(bad((c) => Object.assign(c.preprocessing, { features: ['a', 'b'], log1p: ['a', 'c'] })).field).toBe('preprocessing.log1p[1]');
    expect(bad((c) => (c.preprocessing.log1p = ['CUST_ID']), designExample).field).toBe('preprocessing.log1p[0]');
    expect(bad((c) => Object.assign(c.preprocessing, { features: ['a', 'a'] })).field).toBe('preprocessing.features[1]');
  });

  it('preprocessing.fitted: numeric arrays with one value per column', () => {
    const f = (edit: (x: any) => void) => bad((c) => edit(c.preprocessing.fitted), designExample).field;
    expect(f((x) => (x.center = [0, 1]))).toBe('preprocessing.fitted.center');
    expect(f((x) => (x.scale[1] = 'one'))).toBe('preprocessing.fitted.scale[1]');
    expect(f((x) => (x.scale[2] = 0))).toBe('preprocessing.fitted.scale[2]');
    expect(f((x) => (x.impute_values[0] = null))).toBe('preprocessing.fitted.impute_values[0]');
    expect(f((x) => delete x.scale)).toBe('preprocessing.fitted.scale');
    expect(f((x) => (x.mean = []))).toBe('preprocessing.fitted.mean');
    expect(bad((c) => (c.preprocessing.fitted = [1]), designExample).field).toBe('preprocessing.fitted');
    // without dataset or features the three arrays must agree with each other
    const e = bad((c) => (c.preprocessing.fitted = { impute_values: [1, 2], center: [1, 2], scale: [1] }));
    expect(e.field).toBe('preprocessing.fitted.scale');
  });

  it('estimators list', () => {
    expect(bad((c) => delete c.estimators).field).toBe('estimators');
    expect(bad((c) => (c.estimators = {})).field).toBe('estimators');
    expect(bad((c) => (c.estimators = [])).message).toMatch(/1 to 4 entries \(got 0\)/);
    expect(bad((c) => (c.estimators = Array(5).fill({ name: 'DBSCAN', params: {} }))).field).toBe('estimators');
    expect(bad((c) => (c.estimators = ['KMeans'])).field).toBe('estimators[0]');
    expect(bad((c) => (c.estimators[0].extra = 1)).field).toBe('estimators[0].extra');
    expect(bad((c) => (c.estimators[0].params = [])).field).toBe('estimators[0].params');
  });

  it('unknown estimator name', () => {
    const e = bad(est('Foo', {}));
    expect(e.field).toBe('estimators[0].name');
    expect(e.message).toBe('unknown estimator "Foo"; expected one of KMeans, AgglomerativeClustering, DBSCAN, GaussianMixture');
    const second = bad((c) => c.estimators.push({ name: 'kmeans', params: {} }));
    expect(second.field).toBe('estimators[1].name');
  });

  it('unknown parameter', () => {
    const e = bad(est('DBSCAN', { eps: 1, n_clusters: 3 }));
    expect(e.field).toBe('estimators[0].params.n_clusters');
    expect(e.message).toMatch(/unknown parameter "n_clusters" for DBSCAN/);
  });

  it('negative n_clusters', () => {
    const e = bad(est('KMeans', { n_clusters: -3 }));
    expect(e.field).toBe('estimators[0].params.n_clusters');
    expect(e.message).toBe('estimators[0].params.n_clusters must be an integer >= 1 (got -3)');
  });

  it('KMeans parameters', () => {
    const f = (params: Record<string, unknown>) => bad(est('KMeans', params)).field;
    expect(f({ n_clusters: 2.5 })).toBe('estimators[0].params.n_clusters');
    expect(f({ n_clusters: '4' })).toBe('estimators[0].params.n_clusters');
    expect(f({ init: 'kmeans++' })).toBe('estimators[0].params.init');
    expect(f({ n_init: 0 })).toBe('estimators[0].params.n_init');
    expect(bad(est('KMeans', { n_init: 'many' })).message).toMatch(/n_init must be an integer >= 1 or "auto" \(got "many"\)/);
    expect(f({ max_iter: 0 })).toBe('estimators[0].params.max_iter');
    expect(f({ tol: -1 })).toBe('estimators[0].params.tol');
    expect(f({ random_state: 1.5 })).toBe('estimators[0].params.random_state');
    expect(f({ random_state: -1 })).toBe('estimators[0].params.random_state');
    expect(f({ algorithm: 'elkan' })).toBe('estimators[0].params.algorithm');
    // explicit init rows
    expect(f({ n_clusters: 3, init: [[0, 1], [2, 3]] })).toBe('estimators[0].params.init');
    expect(f({ n_clusters: 2, init: [[0, 1], [2]] })).toBe('estimators[0].params.init[1]');
    expect(f({ n_clusters: 2, init: [[0, 1], [2, 'x']] })).toBe('estimators[0].params.init[1][1]');
    expect(f({ n_clusters: 1, init: [] })).toBe('estimators[0].params.init');
    // width must match the data when the config says how many features it has
    const w = bad((c) => (c.estimators = [{ name: 'KMeans', params: { n_clusters: 1, init: [[0, 1]] } }]), designExample);
    expect(w.field).toBe('estimators[0].params.init');
    expect(w.message).toMatch(/3 feature columns/);
  });

  it('AgglomerativeClustering parameters', () => {
    const e = (params: Record<string, unknown>) => bad(est('AgglomerativeClustering', params));
    expect(e({ n_clusters: 3, distance_threshold: 1 }).field).toBe('estimators[0].params.distance_threshold');
    expect(e({ distance_threshold: 1 }).message).toMatch(/n_clusters defaults to 2/);
    expect(e({ n_clusters: null }).field).toBe('estimators[0].params.n_clusters');
    expect(e({ n_clusters: null, distance_threshold: 0 }).field).toBe('estimators[0].params.distance_threshold');
    expect(e({ n_clusters: 0 }).field).toBe('estimators[0].params.n_clusters');
    expect(e({ linkage: 'centroid' }).field).toBe('estimators[0].params.linkage');
    expect(e({ metric: 'l2', linkage: 'average' }).field).toBe('estimators[0].params.metric');
    const ward = e({ linkage: 'ward', metric: 'manhattan' });
    expect(ward.field).toBe('estimators[0].params.metric');
    expect(ward.message).toMatch(/must be "euclidean" with linkage "ward"/);
    expect(e({ metric: 'cosine' }).field).toBe('estimators[0].params.metric'); // ward is the default linkage
    expect(e({ affinity: 'cosine' }).field).toBe('estimators[0].params.affinity');
    expect(e({ linkage: 'single', affinity: 'cosine', metric: 'manhattan' }).field).toBe('estimators[0].params.affinity');
    expect(e({ n_clusters: null, distance_threshold: 2, compute_full_tree: false }).field).toBe('estimators[0].params.compute_full_tree');
    expect(e({ compute_full_tree: 'yes' }).field).toBe('estimators[0].params.compute_full_tree');
  });

  it('DBSCAN parameters', () => {
    const f = (params: Record<string, unknown>) => bad(est('DBSCAN', params));
    const eps = f({ eps: -1 });
    expect(eps.field).toBe('estimators[0].params.eps');
    expect(eps.message).toBe('estimators[0].params.eps must be a number > 0 (got -1)');
    expect(f({ eps: 0 }).field).toBe('estimators[0].params.eps');
    expect(f({ eps: null }).field).toBe('estimators[0].params.eps');
    expect(f({ min_samples: 0 }).field).toBe('estimators[0].params.min_samples');
    expect(f({ metric: 'minkowski' }).field).toBe('estimators[0].params.metric');
  });

  it('GaussianMixture parameters', () => {
    const f = (params: Record<string, unknown>) => bad(est('GaussianMixture', params)).field;
    expect(f({ n_components: 0 })).toBe('estimators[0].params.n_components');
    expect(f({ covariance_type: 'diagonal' })).toBe('estimators[0].params.covariance_type');
    expect(f({ reg_covar: -1e-6 })).toBe('estimators[0].params.reg_covar');
    expect(f({ tol: -1 })).toBe('estimators[0].params.tol');
    expect(f({ max_iter: 0 })).toBe('estimators[0].params.max_iter');
    expect(f({ n_init: 0 })).toBe('estimators[0].params.n_init');
    expect(f({ init_params: 'random_from_data' })).toBe('estimators[0].params.init_params');
    expect(f({ random_state: 'seed' })).toBe('estimators[0].params.random_state');
    expect(f({ n_clusters: 3 })).toBe('estimators[0].params.n_clusters');
  });

  it('embedding and result', () => {
    expect(bad((c) => (c.embedding = 'TSNE')).field).toBe('embedding');
    expect(bad((c) => (c.embedding = { name: 'MDS', params: {} })).field).toBe('embedding.name');
    expect(bad((c) => (c.embedding = { name: 'TSNE', params: { perplexity: 0 } })).field).toBe('embedding.params.perplexity');
    expect(bad((c) => (c.embedding = { name: 'UMAP', params: { n_neighbors: 1 } })).field).toBe('embedding.params.n_neighbors');
    expect(bad((c) => (c.embedding = { name: 'PCA', params: { whiten: 'no' } })).field).toBe('embedding.params.whiten');
    expect(bad((c) => (c.embedding = { name: 'PCA', params: { perplexity: 5 } })).field).toBe('embedding.params.perplexity');
    expect(bad((c) => (c.result = { n_clusters: 3 })).field).toBe('result');
  });

  it('names the first bad field when several are bad', () => {
    const e = bad((c) => {
      c.preprocessing.scaler = 'bad';
      c.estimators[0].params.n_clusters = -1;
    });
    expect(e.field).toBe('preprocessing.scaler');
  });
});

describe('parameter specs', () => {
  it('every parameter has a type, a default that validates, and help text', () => {
    for (const [name, specs] of Object.entries(ESTIMATOR_PARAMS)) {
      for (const [p, spec] of Object.entries(specs)) {
        expect(spec.help.length).toBeGreaterThan(10);
        if (name === 'AgglomerativeClustering' && p === 'distance_threshold') continue; // needs n_clusters null
        const c = validateConfig({ ...minimal(), estimators: [{ name, params: { [p]: spec.default } }] });
        expect(c.estimators[0].params[p]).toEqual(spec.default);
      }
    }
    for (const specs of Object.values(EMBEDDING_PARAMS)) for (const spec of Object.values(specs)) expect(spec.help.length).toBeGreaterThan(10);
  });

  it('withDefaults fills in what was not given', () => {
    const p = withDefaults({ name: 'DBSCAN', params: { eps: 2 } });
    expect(p).toEqual({ eps: 2, min_samples: 5, metric: 'euclidean' });
    expect(withDefaults({ name: 'KMeans', params: {} }).n_clusters).toBe(8);
  });
});

describe('datasetMismatch', () => {
  const config = validateConfig(designExample()) as ClusterTuneConfig;
  const same = { n_samples: 8950, n_features: 3, columns: ['BALANCE', 'PURCHASES', 'TENURE'], fingerprint: FP };

  it('is null for the same data and for a config without dataset', () => {
    expect(datasetMismatch(config, same)).toBeNull();
    expect(datasetMismatch(validateConfig(minimal()), { ...same, n_samples: 1 })).toBeNull();
  });

  it('describes different values, rows, columns and order', () => {
    expect(datasetMismatch(config, { ...same, fingerprint: 'sha256:' + '00'.repeat(32) })).toMatch(/values differ/);
    expect(datasetMismatch(config, { ...same, n_samples: 200, fingerprint: 'sha256:' + '00'.repeat(32) })).toMatch(/8950 rows, this data has 200/);
    const cols = datasetMismatch(config, { ...same, n_features: 3, columns: ['BALANCE', 'PURCHASES', 'Age'] })!;
    expect(cols).toMatch(/column "TENURE" is not in this data/);
    expect(cols).toMatch(/"Age"/);
    expect(cols).toMatch(/"cc_general.csv"/);
    expect(datasetMismatch(config, { ...same, columns: ['PURCHASES', 'BALANCE', 'TENURE'] })).toMatch(/different order/);
  });
});
