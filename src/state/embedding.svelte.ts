/**
 * t-SNE and UMAP layouts on the main thread: their parameters (scikit-learn / umap-learn names), the layout the
 * scatter shows (live frames while the embed worker runs), progress, Stop / Resume, and a cache of finished layouts
 * by (data key, method, parameters) so that switching embeddings or parameters back and forth never recomputes.
 * Changing perplexity while a layout is on screen waits for the user's choice: restart from it, or from scratch.
 */
import { cancelEmbedding, runEmbedding, stopEmbedding } from '../jobs/embed_client.ts';
import { embedCacheKey, type EmbedFrame, type StreamMethod } from '../jobs/embed_protocol.ts';
import type { ErrorInfo, PreparedInfo } from '../jobs/protocol.ts';
import type { Progress } from '../../workers/engine/types.ts';
import type { ControlSpec } from './controls.ts';
import { setMotionSource } from './latency.ts';

export const STREAM_DEFAULTS: Record<StreamMethod, Record<string, unknown>> = {
  TSNE: { perplexity: 30, early_exaggeration: 12, learning_rate: 'auto', max_iter: 1000, init: 'pca', random_state: 0, angle: 0.5 },
  UMAP: { n_neighbors: 15, min_dist: 0.1, random_state: 0 },
};

/** The controls of each method (ranges that depend on n_samples are given by `controlRange`). */
export const STREAM_CONTROLS: Record<StreamMethod, ControlSpec[]> = {
  TSNE: [
    { param: 'perplexity', kind: 'float', min: 2, max: 100, step: 1 },
    { param: 'early_exaggeration', kind: 'float', min: 1, max: 50, step: 1 },
    { param: 'learning_rate', kind: 'choice', options: ['auto', '50', '100', '200', '500', '1000'], numeric: true },
    { param: 'max_iter', kind: 'int', min: 250, max: () => 5000, step: 50 },
    { param: 'init', kind: 'choice', options: ['pca', 'random'] },
    { param: 'angle', kind: 'float', min: 0, max: 1, step: 0.05 },
    { param: 'random_state', kind: 'seed' },
  ],
  UMAP: [
    { param: 'n_neighbors', kind: 'int', min: 2, max: (n) => Math.max(2, Math.min(200, n - 1)), step: 1 },
    { param: 'min_dist', kind: 'float', min: 0, max: 1, step: 0.01 },
    { param: 'random_state', kind: 'seed' },
  ],
};

/** Slider bounds that depend on the data (perplexity < n_samples). */
export function controlRange(spec: ControlSpec, n_samples: number): { min: number; max: number; step: number } | null {
  if (spec.param === 'perplexity' && spec.kind === 'float') return { min: spec.min, max: Math.max(spec.min, Math.min(spec.max, n_samples - 1)), step: spec.step };
  return null;
}

/** Why a value is not allowed (the message names the parameter), or null. The engine checks again in fit. */
export function checkStreamParam(method: StreamMethod, param: string, v: unknown, n_samples: number): string | null {
  const num = typeof v === 'number' && Number.isFinite(v);
  const int = num && Number.isInteger(v);
  const n = v as number;
  switch (`${method}.${param}`) {
    case 'TSNE.perplexity':
      return num && n > 0 && n < n_samples ? null : `perplexity must be > 0 and less than n_samples = ${n_samples} (got ${v})`;
    case 'TSNE.early_exaggeration':
      return num && n >= 1 ? null : `early_exaggeration must be >= 1 (got ${v})`;
    case 'TSNE.learning_rate':
      return v === 'auto' || (num && n > 0) ? null : `learning_rate must be > 0 or "auto" (got ${v})`;
    case 'TSNE.max_iter':
      return int && n >= 250 ? null : `max_iter must be an integer >= 250 (got ${v})`;
    case 'TSNE.angle':
      return num && n >= 0 && n <= 1 ? null : `angle must be between 0 and 1 (got ${v})`;
    case 'UMAP.n_neighbors':
      return int && n >= 2 && n < n_samples ? null : `n_neighbors must be an integer >= 2 and less than n_samples = ${n_samples} (got ${v})`;
    case 'UMAP.min_dist':
      return num && n >= 0 && n <= 1 ? null : `min_dist must be between 0 and spread = 1 (got ${v})`;
    case 'TSNE.random_state':
    case 'UMAP.random_state':
      return v === null || int ? null : `random_state must be an integer or empty (got ${v})`;
    default:
      return null;
  }
}

/** A layout for the scatter: a frame plus where it belongs and the axis ranges to hold while it moves. */
export interface Layout extends EmbedFrame {
  dataKey: string;
  method: StreamMethod;
  /** Per axis [lo, hi] while it runs (steady between frames); null when done (autorange). */
  range: [number, number][] | null;
}

/** Keeps the previous axis range while the points fit in it and fill a good part of it; else the extent, padded. */
export function steadyRanges(coords: Float64Array, dims: number, prev: [number, number][] | null): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < dims; a++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = a; i < coords.length; i += dims) {
      const v = coords[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi > lo ? hi - lo : Math.abs(hi) || 1;
    const p = prev?.[a];
    if (p && lo >= p[0] && hi <= p[1] && span > 0.55 * (p[1] - p[0])) out.push(p);
    else out.push([lo - 0.2 * span, hi + 0.2 * span]);
  }
  return out;
}

/** Least time between two redraws of the small (compact) scatters while a layout moves. */
const SLOW_MS = 400;

interface Current {
  cacheKey: string;
  prepared: PreparedInfo;
  method: StreamMethod;
  params: Record<string, unknown>;
}

export class EmbeddingState {
  params = $state<Record<StreamMethod, Record<string, unknown>>>(structuredClone(STREAM_DEFAULTS));
  /** Messages beside controls, by parameter name. */
  errors = $state<Record<string, string>>({});
  /** The layout of the wanted (data, method, parameters), as far as it got; null before its first frame. */
  layout = $state.raw<Layout | null>(null);
  /** The same layout refreshed at most every SLOW_MS while it moves (the small scatters of the Compare tab). */
  slowLayout = $state.raw<Layout | null>(null);
  private slowAt = -Infinity;
  running = $state(false);
  /** Stop was asked; the worker ends the run at its next batch and answers with the layout it stopped at. */
  stopping = $state(false);
  /** Preparation stage of a starting run (neighbours, affinities, fuzzy graph). */
  progress = $state.raw<Progress | null>(null);
  error = $state.raw<ErrorInfo | null>(null);
  /** A perplexity waiting for the user's choice (restart from the current layout or from scratch). */
  pendingPerplexity = $state<number | null>(null);
  /** Frames received (for tests and diagnostics) and runs started (a cache hit starts none). */
  frames = 0;
  runs = 0;

  private readonly cache = new Map<string, Layout>();
  private readonly partial = new Map<string, Layout>();
  private readonly userStopped = new Set<string>();
  private current: Current | null = null;
  private seq = 0;
  private warmStart: Float64Array | null = null;
  /** The running job has sent a frame (it is past its neighbours and affinities, so stop gets through). */
  private framed = false;

  constructor() {
    // background figures hold their full redraws while a layout moves (latency.ts)
    setMotionSource(() => this.running && !this.stopping);
  }

  private show(l: Layout | null, live = false): void {
    this.layout = l;
    const now = performance.now();
    if (!live || now - this.slowAt >= SLOW_MS) {
      this.slowLayout = l;
      this.slowAt = now;
    }
  }

  /** The job's parameters: the method's own and n_components. */
  jobParams(method: StreamMethod, dims: 2 | 3): Record<string, unknown> {
    return { n_components: dims, ...$state.snapshot(this.params[method]) };
  }

  /** Shows the layout of (data, method, parameters): from the cache, where a stopped run was, or by running it. */
  want(prepared: PreparedInfo, method: StreamMethod, dims: 2 | 3): void {
    const params = this.jobParams(method, dims);
    const cacheKey = embedCacheKey(prepared.key, method, params);
    if (this.current?.cacheKey === cacheKey) return;
    this.current = { cacheKey, prepared, method, params };
    this.error = null;
    const warm = this.warmStart;
    this.warmStart = null;
    const hit = this.cache.get(cacheKey);
    if (hit) {
      this.seq++; // answers of a running job no longer change what is shown
      this.halt();
      this.running = this.stopping = false;
      this.progress = null;
      this.show(hit);
      return;
    }
    this.show(this.partial.get(cacheKey) ?? null);
    if (this.userStopped.has(cacheKey)) {
      this.seq++;
      this.halt();
      this.running = this.stopping = false;
      return;
    }
    this.halt();
    void this.start(warm && warm.length === prepared.n_samples * dims ? warm : null);
  }

  /**
   * Ends the running job for another one: it stops at its next batch and stays resumable; a job still computing
   * neighbours / affinities cannot hear stop, so its worker is ended rather than waited for.
   */
  private halt(): void {
    if (!this.running) return;
    if (this.framed) stopEmbedding();
    else cancelEmbedding();
  }

  /** Another embedding is shown: the run pauses (it resumes when this one is chosen again). */
  leave(): void {
    this.seq++;
    if (this.running) stopEmbedding();
    this.running = this.stopping = false;
    this.progress = null;
    this.current = null;
  }

  /** Stop keeps the current layout; before the first frame (neighbours, affinities) it ends the worker. */
  stop(): void {
    const c = this.current;
    if (!c || !this.running) return;
    this.userStopped.add(c.cacheKey);
    if (this.framed) {
      stopEmbedding(); // running until the answer (a batch away) brings the layout it stopped at
      this.stopping = true;
      return;
    }
    this.seq++;
    cancelEmbedding();
    this.running = this.stopping = false;
    this.progress = null;
  }

  resume(): void {
    const c = this.current;
    if (!c || this.running || this.layout?.done) return;
    this.userStopped.delete(c.cacheKey);
    void this.start(null);
  }

  get stopped(): boolean {
    return !this.running && !!this.layout && !this.layout.done;
  }

  /** Sets a parameter after checking it; perplexity with a layout on screen asks first (see pendingPerplexity). */
  set(method: StreamMethod, param: string, value: unknown, n_samples: number): boolean {
    const problem = checkStreamParam(method, param, value, n_samples);
    if (problem) {
      this.errors = { ...this.errors, [param]: problem };
      return false;
    }
    this.errors = {};
    if (method === 'TSNE' && param === 'perplexity' && this.layout && value !== this.params.TSNE.perplexity) {
      this.pendingPerplexity = value as number;
      return true;
    }
    this.params[method][param] = value;
    return true;
  }

  /** Applies the pending perplexity, starting from the layout on screen or from params.init. */
  restartPerplexity(from: 'current' | 'scratch'): void {
    const v = this.pendingPerplexity;
    if (v === null) return;
    this.pendingPerplexity = null;
    this.warmStart = from === 'current' && this.layout ? this.layout.coords.slice() : null;
    this.params.TSNE.perplexity = v;
  }

  cancelPerplexity(): void {
    this.pendingPerplexity = null;
    this.errors = {};
  }

  /** Parameters from a configuration (unknown keys are kept: the engine uses what it knows and checks it). */
  load(method: StreamMethod, params: Record<string, unknown>): void {
    const p = { ...params };
    delete p.n_components;
    if (method === 'TSNE' && p.n_iter !== undefined && p.max_iter === undefined) p.max_iter = p.n_iter;
    delete p.n_iter;
    this.params[method] = { ...STREAM_DEFAULTS[method], ...p };
    this.pendingPerplexity = null;
    this.errors = {};
  }

  private async start(init: Float64Array | null): Promise<void> {
    const c = this.current!;
    const id = ++this.seq;
    const mine = () => id === this.seq;
    this.running = true;
    this.stopping = false;
    this.framed = false;
    this.progress = null;
    this.runs++;
    this.userStopped.delete(c.cacheKey);
    // frames come through their own port: one may arrive after the answer, or late; keep only newer ones
    let lastIteration = -1;
    let answered = false;
    const a = await runEmbedding(
      c.prepared,
      { key: c.prepared.key, method: c.method, params: c.params, init },
      (f) => {
        if (answered || f.iteration <= lastIteration) return;
        lastIteration = f.iteration;
        this.frames++;
        // frame 0 (the initial layout) comes before the neighbours and affinities, when stop cannot get through yet
        if (mine() && f.iteration > 0) this.framed = true;
        const l = this.toLayout(c, f, this.partial.get(c.cacheKey) ?? null);
        this.partial.set(c.cacheKey, l);
        if (mine()) {
          this.show(l, true);
          if (f.iteration > 0) this.progress = null;
        }
      },
      (p) => {
        if (mine()) this.progress = p;
      },
    );
    answered = true;
    if (a.stale) return;
    const o = a.value;
    if (!o.ok) {
      if (!mine()) return;
      this.running = this.stopping = false;
      this.progress = null;
      if (o.error.kind === 'cancelled') return;
      this.error = o.error;
      if (o.error.kind === 'parameter' && o.error.field) this.errors = { ...this.errors, [o.error.field]: o.error.message };
      return;
    }
    const l = this.toLayout(c, o.value, this.partial.get(c.cacheKey) ?? null);
    if (l.done) {
      this.cache.set(c.cacheKey, l);
      this.partial.delete(c.cacheKey);
    } else this.partial.set(c.cacheKey, l);
    if (mine()) {
      this.show(l);
      this.running = this.stopping = false;
      this.progress = null;
    }
  }

  private toLayout(c: Current, f: EmbedFrame, prev: Layout | null): Layout {
    const range = f.done ? null : steadyRanges(f.coords, f.n_components, prev?.range ?? null);
    return {
      cacheKey: f.cacheKey,
      coords: f.coords,
      n_components: f.n_components,
      iteration: f.iteration,
      max_iter: f.max_iter,
      kl_divergence: f.kl_divergence,
      done: f.done,
      dataKey: c.prepared.key,
      method: c.method,
      range,
    };
  }
}
