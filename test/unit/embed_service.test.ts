/**
 * The embed worker's service (in Node): streamed batches give the same layout as the engine's fit, a stopped run
 * resumes exactly where it was, finished layouts come from the cache, a newer job supersedes a running one.
 */
import { describe, expect, it } from 'vitest';
import { EmbedService } from '../../workers/services/embed_service.ts';
import { embedCacheKey, type EmbedFrame, type EmbedJob } from '../../src/jobs/embed_protocol.ts';
import { TSNE, fitTSNE } from '../../workers/engine/manifold/tsne.ts';
import { fitUMAP } from '../../workers/engine/manifold/umap.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';

/** Three Gaussian clusters in 5 dimensions. */
function data(n = 150, d = 5): Matrix {
  const rs = new RandomState(7);
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = 6 * (i % 3) * (j === i % d ? 1 : 0) + rs.normal();
  return { data: X, n_samples: n, n_features: d };
}

const X = data();
const KEY = 'k1';
const TSNE_PARAMS = { n_components: 2, perplexity: 15, max_iter: 300, random_state: 0, init: 'pca' };
const job = (params: Record<string, unknown> = TSNE_PARAMS, method: EmbedJob['method'] = 'TSNE'): EmbedJob => ({ key: KEY, method, params });

function service(): EmbedService {
  const s = new EmbedService();
  s.setData(KEY, X.data.slice(), X.n_samples, X.n_features);
  return s;
}

function ok<T>(o: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!o.ok) throw new Error(`expected a value, got ${JSON.stringify(o.error)}`);
  return o.value;
}

describe('EmbedService', () => {
  it('streams t-SNE in batches and ends on the same embedding as fitTSNE with the same seed', async () => {
    const s = service();
    const frames: EmbedFrame[] = [];
    const a = ok(await s.run(job(), (f) => void frames.push(f), undefined, { batchMs: 0, frameMs: 0 }));
    const ref = fitTSNE(X, TSNE_PARAMS as any);
    expect(a.done).toBe(true);
    expect(a.stopped).toBe(false);
    expect(a.cached).toBe(false);
    expect(a.iteration).toBe(300);
    expect(a.max_iter).toBe(300);
    expect(Array.from(a.coords)).toEqual(Array.from(ref.embedding));
    expect(a.kl_divergence).toBe(ref.kl_divergence);
    // frames come in order, each one a copy of the layout at its iteration
    expect(frames.length).toBeGreaterThan(10);
    for (let i = 1; i < frames.length; i++) expect(frames[i].iteration).toBeGreaterThan(frames[i - 1].iteration);
    expect(frames[0].coords.length).toBe(X.n_samples * 2);
    expect(frames[0].coords).not.toEqual(frames[frames.length - 1].coords);
    expect(frames.every((f) => !f.done && f.cacheKey === embedCacheKey(KEY, 'TSNE', TSNE_PARAMS))).toBe(true);
  });

  it('sends frame 0, the PCA initial layout, before it computes the neighbours and affinities', async () => {
    const s = service();
    const events: string[] = [];
    const frames: EmbedFrame[] = [];
    ok(
      await s.run(
        job(),
        (f) => {
          frames.push(f);
          events.push(`frame ${f.iteration}`);
        },
        (p) => void events.push(`progress ${p.stage}`),
        { batchMs: 0, frameMs: 0 },
      ),
    );
    expect(events[0]).toBe('frame 0');
    expect(events.indexOf('frame 0')).toBeLessThan(events.findIndex((e) => e.startsWith('progress')));
    const t = new TSNE(X, TSNE_PARAMS as any);
    expect(Array.from(frames[0].coords)).toEqual(Array.from(t.initialEmbedding()));
    expect(frames[0]).toMatchObject({ iteration: 0, n_components: 2, max_iter: 300, kl_divergence: null, done: false });
    // the run goes on from that very layout: initialEmbedding() then initializeFit() is fitTSNE's start
    t.initializeFit();
    for (let i = 0; i < 300 && !t.done; i++) t.step();
    expect(Array.from(t.embedding)).toEqual(Array.from(fitTSNE(X, TSNE_PARAMS as any).embedding));
  });

  it('stop() ends a run at its next batch, and running the same job again resumes it to the same end', async () => {
    const s = service();
    let stoppedAt = -1;
    const first = ok(
      await s.run(job(), (f) => {
        if (f.iteration >= 40 && stoppedAt < 0) {
          stoppedAt = f.iteration;
          s.stop();
        }
      }, undefined, { batchMs: 0, frameMs: 0 }),
    );
    expect(first.stopped).toBe(true);
    expect(first.done).toBe(false);
    expect(first.iteration).toBeGreaterThanOrEqual(stoppedAt);
    expect(first.iteration).toBeLessThan(stoppedAt + 5); // at most a batch or two later
    expect(s.pausedKeys()).toEqual([embedCacheKey(KEY, 'TSNE', TSNE_PARAMS)]);
    const frames: EmbedFrame[] = [];
    const second = ok(await s.run(job(), (f) => void frames.push(f), undefined, { batchMs: 0, frameMs: 0 }));
    expect(frames[0].iteration).toBeGreaterThan(first.iteration); // continued, not restarted
    expect(second.done).toBe(true);
    expect(second.iteration).toBe(300);
    expect(Array.from(second.coords)).toEqual(Array.from(fitTSNE(X, TSNE_PARAMS as any).embedding));
    expect(s.pausedKeys()).toEqual([]);
  });

  it('answers a finished layout from its cache, by (data, method, parameters)', async () => {
    const s = service();
    const a = ok(await s.run(job()));
    expect(s.hasLayout(embedCacheKey(KEY, 'TSNE', TSNE_PARAMS))).toBe(true);
    let frames = 0;
    const b = ok(await s.run(job({ ...TSNE_PARAMS }), () => void frames++));
    expect(b.cached).toBe(true);
    expect(frames).toBe(0);
    expect(Array.from(b.coords)).toEqual(Array.from(a.coords));
    expect(b.seconds).toBeLessThan(a.seconds);
    // key order does not matter; a different parameter is another layout
    const reordered = Object.fromEntries(Object.entries(TSNE_PARAMS).reverse());
    expect(ok(await s.run(job(reordered))).cached).toBe(true);
    const c = ok(await s.run(job({ ...TSNE_PARAMS, perplexity: 10 })));
    expect(c.cached).toBe(false);
    expect(Array.from(c.coords)).not.toEqual(Array.from(a.coords));
  });

  it('a newer job supersedes the running one, which stays resumable', async () => {
    const s = service();
    const slow = s.run(job({ ...TSNE_PARAMS, max_iter: 1000 }), undefined, undefined, { batchMs: 1 });
    await new Promise((r) => setTimeout(r, 30));
    const fast = s.run(job());
    const [a, b] = [ok(await slow), ok(await fast)];
    expect(a.stopped).toBe(true);
    expect(a.iteration).toBeLessThan(1000);
    expect(b.done).toBe(true);
    expect(s.pausedKeys()).toEqual([embedCacheKey(KEY, 'TSNE', { ...TSNE_PARAMS, max_iter: 1000 })]);
  });

  it('restarts t-SNE from a given layout', async () => {
    const s = service();
    const a = ok(await s.run(job()));
    const params = { ...TSNE_PARAMS, perplexity: 25 };
    const warm = ok(await s.run({ ...job(params), init: a.coords.slice() }));
    expect(warm.done).toBe(true);
    expect(Array.from(warm.coords)).toEqual(Array.from(fitTSNE(X, { ...params, init: a.coords } as any).embedding));
    expect(Array.from(warm.coords)).not.toEqual(Array.from(fitTSNE(X, params as any).embedding));
  });

  it('streams UMAP the same way and ends on fitUMAP\'s embedding', async () => {
    const s = service();
    const params = { n_components: 2, n_neighbors: 10, min_dist: 0.1, random_state: 3, n_epochs: 60 };
    const frames: EmbedFrame[] = [];
    const a = ok(await s.run(job(params, 'UMAP'), (f) => void frames.push(f), undefined, { batchMs: 0, frameMs: 0 }));
    expect(a.done).toBe(true);
    expect(a.max_iter).toBe(60);
    expect(a.kl_divergence).toBeNull();
    expect(frames.length).toBeGreaterThan(5);
    expect(Array.from(a.coords)).toEqual(Array.from(fitUMAP(X, params).embedding));
  });

  it('answers a parameter error naming the parameter, and refuses data it does not hold', async () => {
    const s = service();
    const bad = await s.run(job({ ...TSNE_PARAMS, perplexity: 500 }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ kind: 'parameter', field: 'perplexity' });
    const other = await s.run({ ...job(), key: 'other' });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.kind).toBe('data');
  });
});

describe('main-thread helpers of the embedding', () => {
  it('cache keys ignore key order and undefined values, and differ by data, method and any parameter', () => {
    const a = embedCacheKey('d', 'TSNE', { perplexity: 30, init: 'pca', extra: undefined });
    expect(a).toBe(embedCacheKey('d', 'TSNE', { init: 'pca', perplexity: 30 }));
    expect(a).not.toBe(embedCacheKey('d2', 'TSNE', { init: 'pca', perplexity: 30 }));
    expect(a).not.toBe(embedCacheKey('d', 'UMAP', { init: 'pca', perplexity: 30 }));
    expect(a).not.toBe(embedCacheKey('d', 'TSNE', { init: 'pca', perplexity: 31 }));
  });

  it('steady axis ranges hold while the points fit and fill them, and follow when they grow or shrink a lot', async () => {
    const { steadyRanges } = await import('../../src/state/embedding.svelte.ts');
    const pts = (s: number) => Float64Array.from([-s, -2 * s, s, 2 * s]); // two points, 2-D
    const r1 = steadyRanges(pts(1), 2, null);
    expect(r1[0][0]).toBeLessThan(-1);
    expect(r1[0][1]).toBeGreaterThan(1);
    expect(r1[1][1]).toBeGreaterThan(2);
    expect(steadyRanges(pts(0.9), 2, r1)[0]).toBe(r1[0]); // a little smaller: kept
    const grown = steadyRanges(pts(3), 2, r1);
    expect(grown[0][1]).toBeGreaterThan(3); // outgrown: follows
    const shrunk = steadyRanges(pts(0.1), 2, grown);
    expect(shrunk[0][1]).toBeLessThan(1); // much smaller: follows
  });

  it('checks t-SNE / UMAP parameters with messages that name them', async () => {
    const { checkStreamParam } = await import('../../src/state/embedding.svelte.ts');
    expect(checkStreamParam('TSNE', 'perplexity', 30, 100)).toBeNull();
    expect(checkStreamParam('TSNE', 'perplexity', 100, 100)).toMatch(/^perplexity must be .* n_samples = 100/);
    expect(checkStreamParam('TSNE', 'max_iter', 200, 100)).toMatch(/^max_iter must be an integer >= 250/);
    expect(checkStreamParam('TSNE', 'learning_rate', 'auto', 100)).toBeNull();
    expect(checkStreamParam('TSNE', 'learning_rate', -1, 100)).toMatch(/^learning_rate/);
    expect(checkStreamParam('TSNE', 'angle', 1.5, 100)).toMatch(/^angle/);
    expect(checkStreamParam('UMAP', 'n_neighbors', 1, 100)).toMatch(/^n_neighbors/);
    expect(checkStreamParam('UMAP', 'min_dist', 0.5, 100)).toBeNull();
    expect(checkStreamParam('UMAP', 'random_state', null, 100)).toBeNull();
    expect(checkStreamParam('UMAP', 'random_state', 1.5, 100)).toMatch(/^random_state/);
  });
});
