/**
 * The embed worker's state: the prepared matrix (one at a time, keyed), t-SNE / UMAP runs that stream, a cache of
 * finished layouts by (data key, method, parameters) and the runs that were stopped before the end (they resume).
 *
 * `run` steps the engine in batches of about `batchMs`, sends the live coordinates through `onFrame` at most every
 * `frameMs` (and only when the previous frame was taken), and yields between batches with a zero timeout so that a
 * `stop()` (or the next job) gets through. Framework-free: runs in Node too.
 */
import type { Outcome } from '../../src/jobs/protocol.ts';
import { embedCacheKey, type EmbedAnswer, type EmbedFrame, type EmbedJob } from '../../src/jobs/embed_protocol.ts';
import type { Matrix, Progress } from '../engine/types.ts';
import { DataError, ParameterError, show } from '../engine/errors.ts';
import { TSNE, type TSNEParams } from '../engine/manifold/tsne.ts';
import { UMAP, type UMAPParams } from '../engine/manifold/umap.ts';
import * as Comlink from 'comlink';
import { transferredOutcome } from './outcome.ts';

/** A stepwise embedding, t-SNE or UMAP, seen the same way. */
interface Runner {
  readonly n_components: number;
  readonly max_iter: number;
  step(): void;
  readonly done: boolean;
  readonly iteration: number;
  readonly embedding: Float64Array;
  readonly kl_divergence: number | null;
}

function tsneRunner(X: Matrix, params: TSNEParams, on_progress: (p: Progress) => void, onInit?: (Y: Float64Array) => void): Runner {
  const t = new TSNE(X, params, { on_progress });
  // frame 0, the initial layout, goes out before the neighbours and affinities (seconds at 100k rows) are computed
  if (onInit) onInit(t.initialEmbedding());
  const max_iter = t.initializeFit();
  return {
    n_components: t.params.n_components,
    max_iter,
    step: () => void t.step(),
    get done() {
      return t.done;
    },
    get iteration() {
      return t.iteration;
    },
    get embedding() {
      return t.embedding;
    },
    get kl_divergence() {
      return Number.isNaN(t.kl_divergence) ? null : t.kl_divergence;
    },
  };
}

function umapRunner(X: Matrix, params: UMAPParams, on_progress: (p: Progress) => void): Runner {
  const u = new UMAP(X, params, { on_progress });
  const max_iter = u.initializeFit();
  let epoch = 0;
  return {
    n_components: u.n_components,
    max_iter,
    step: () => void (epoch = u.step()),
    get done() {
      return u.done;
    },
    get iteration() {
      return epoch;
    },
    get embedding() {
      return u.embedding;
    },
    kl_divergence: null,
  };
}

export interface RunOptions {
  /** Least time between two frames (ms). */
  frameMs?: number;
  /** Work between two yields (ms); at least one step. */
  batchMs?: number;
}

/** At most this many finished layouts, and this many stopped runs (each holds its affinities), are kept. */
const MAX_FINISHED = 24;
const MAX_PAUSED = 2;

export class EmbedService {
  private X: Matrix | null = null;
  private key = '';
  private generation = 0;
  private readonly finished = new Map<string, EmbedFrame>();
  private readonly paused = new Map<string, Runner>();

  setData(key: string, data: Float64Array, n_samples: number, n_features: number): void {
    if (key === this.key) return;
    this.X = { data, n_samples, n_features };
    this.key = key;
    this.paused.clear(); // they hold the old matrix; finished layouts are keyed by their data and stay
  }

  hasData(key: string): boolean {
    return this.key === key && this.X !== null;
  }

  /** Ends the running job at its next batch; it stays resumable (run the same job again). */
  stop(): void {
    this.generation++;
  }

  /** True when a finished layout for this cache key is held. */
  hasLayout(cacheKey: string): boolean {
    return this.finished.has(cacheKey);
  }

  /** Cache keys of the stopped runs that a run of the same job resumes. */
  pausedKeys(): string[] {
    return [...this.paused.keys()];
  }

  run(
    job: EmbedJob,
    onFrame?: (f: EmbedFrame) => unknown,
    onProgress?: (p: Progress) => unknown,
    options: RunOptions = {},
  ): Promise<Outcome<EmbedAnswer>> {
    const gen = ++this.generation; // a newer job supersedes a running one
    return transferredOutcome(async () => {
      const t0 = performance.now();
      const frameMs = options.frameMs ?? 30;
      const batchMs = options.batchMs ?? 25;
      if (!this.X || job.key !== this.key) throw new DataError('data', 'the embed worker does not hold this data (reload it)');
      const X = this.X;
      const cacheKey = embedCacheKey(job.key, job.method, job.params);
      const seconds = () => (performance.now() - t0) / 1000;

      const hit = job.init ? undefined : this.finished.get(cacheKey);
      if (hit) {
        this.finished.delete(cacheKey); // most recently used last
        this.finished.set(cacheKey, hit);
        return { ...hit, coords: hit.coords.slice(), stopped: false, cached: true, seconds: seconds() };
      }
      let r = job.init ? undefined : this.paused.get(cacheKey);
      this.paused.delete(cacheKey);
      r ??= this.create(X, job, progressOf(onProgress), (Y) => {
        if (!onFrame) return;
        const coords = Y.slice();
        const n_components = coords.length / X.n_samples;
        const max_iter = Number(job.params.max_iter ?? 1000);
        const f: EmbedFrame = { cacheKey, coords, n_components, iteration: 0, max_iter, kl_divergence: null, done: false };
        void Promise.resolve(onFrame(Comlink.transfer(f, [coords.buffer as ArrayBuffer]))).catch(() => undefined);
      });

      const frame = (): EmbedFrame => ({
        cacheKey,
        coords: r.embedding.slice(),
        n_components: r.n_components,
        iteration: r.iteration,
        max_iter: r.max_iter,
        kl_divergence: r.kl_divergence,
        done: r.done,
      });
      let lastFrame = -Infinity;
      let frameInFlight = false;
      while (!r.done) {
        if (this.generation !== gen) {
          this.pause(cacheKey, r);
          return { ...frame(), stopped: true, cached: false, seconds: seconds() };
        }
        const end = performance.now() + batchMs;
        do r.step();
        while (!r.done && performance.now() < end);
        const now = performance.now();
        if (onFrame && !r.done && !frameInFlight && now - lastFrame >= frameMs) {
          lastFrame = now;
          frameInFlight = true;
          // the next frame waits until the receiver has taken this one (no queue builds up on a busy main thread)
          Promise.resolve()
            .then(() => {
              const f = frame();
              return onFrame(Comlink.transfer(f, [f.coords.buffer as ArrayBuffer]));
            })
            .catch(() => undefined)
            .finally(() => (frameInFlight = false));
        }
        await new Promise((res) => setTimeout(res));
      }
      const last = frame();
      this.finished.set(cacheKey, { ...last, coords: last.coords.slice() });
      while (this.finished.size > MAX_FINISHED) this.finished.delete(this.finished.keys().next().value!);
      return { ...last, stopped: false, cached: false, seconds: seconds() };
    }, (a) => [a.coords.buffer]);
  }

  private create(X: Matrix, job: EmbedJob, on_progress: (p: Progress) => void, onInit?: (Y: Float64Array) => void): Runner {
    if (job.method === 'TSNE') {
      const params = { ...job.params } as TSNEParams;
      if (job.init) params.init = job.init;
      return tsneRunner(X, params, on_progress, onInit);
    }
    if (job.method === 'UMAP') return umapRunner(X, job.params as UMAPParams, on_progress);
    throw new ParameterError('embedding.name', `the embed worker computes TSNE or UMAP (got ${show(job.method)})`);
  }

  private pause(cacheKey: string, r: Runner): void {
    this.paused.delete(cacheKey);
    this.paused.set(cacheKey, r);
    while (this.paused.size > MAX_PAUSED) this.paused.delete(this.paused.keys().next().value!);
  }
}

/** The engine's preparation stages (neighbours, affinities, fuzzy graph), at most one report per ~frame; frames carry the rest. */
function progressOf(fn?: (p: Progress) => unknown): (p: Progress) => void {
  let last = 0;
  return (p) => {
    if (!fn || p.stage === 'optimizing') return;
    const now = performance.now();
    if (p.fraction >= 1 || now - last >= 30) {
      last = now;
      void Promise.resolve(fn(p)).catch(() => undefined);
    }
  };
}
