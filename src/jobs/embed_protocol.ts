/**
 * Types shared by the main thread and the embed worker (src/jobs/embed_client.ts, workers/services/embed_service.ts).
 * Pure: no imports, so both sides can use it.
 */

/** The embeddings the embed worker computes (PCA comes with the prepared data). */
export type StreamMethod = 'TSNE' | 'UMAP';

export interface EmbedJob {
  /** The prepared data's key (data + preprocessing). */
  key: string;
  method: StreamMethod;
  /** scikit-learn / umap-learn keyword arguments, n_components included. */
  params: Record<string, unknown>;
  /** Start t-SNE from this layout (n x n_components) instead of params.init; the layout is cached under the same key. */
  init?: Float64Array | null;
}

/** One picture of a running (or finished) embedding. */
export interface EmbedFrame {
  cacheKey: string;
  /** n x n_components row-major, a copy the receiver owns. */
  coords: Float64Array;
  n_components: number;
  /** Iterations (t-SNE) or epochs (UMAP) done. */
  iteration: number;
  max_iter: number;
  /** t-SNE's last computed KL divergence (every 50 iterations, as scikit-learn's kl_divergence_); null for UMAP / before any. */
  kl_divergence: number | null;
  done: boolean;
}

export interface EmbedAnswer extends EmbedFrame {
  /** Ended by stop() or by a newer job before it was done: the run stays in the worker and resumes on the same job. */
  stopped: boolean;
  /** Answered from the worker's cache of finished layouts. */
  cached: boolean;
  /** Seconds of work in this call. */
  seconds: number;
}

/** A stable text of a value with sorted object keys (so that {a, b} and {b, a} give one key). */
export function stableText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableText).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableText(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What a finished layout is cached by: (data key, method, parameters). */
export function embedCacheKey(key: string, method: StreamMethod, params: Record<string, unknown>): string {
  return `${key}|${method}|${stableText(params)}`;
}
