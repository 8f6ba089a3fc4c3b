/**
 * What the scatter shows: which embedding (PCA, t-SNE, UMAP in 2-D or 3-D, or two chosen features) and its
 * coordinates. t-SNE and UMAP layouts stream from the embed worker (see embedding.svelte.ts); `bind` starts the
 * effect that asks for the wanted layout whenever the data, the choice or its parameters change.
 */
import { untrack } from 'svelte';
import type { ClusterTuneConfig } from '../../workers/engine/config/config.ts';
import type { PreparedInfo } from '../jobs/protocol.ts';
import type { StreamMethod } from '../jobs/embed_protocol.ts';
import { EmbeddingState } from './embedding.svelte.ts';
import type { Positions } from '../lib/motion_layer.ts';
import type { DatasetState } from './dataset.svelte.ts';

export type EmbeddingKind = 'pca' | 'tsne' | 'umap' | 'features';

export const EMBEDDING_CHOICES: { kind: EmbeddingKind; label: string }[] = [
  { kind: 'pca', label: 'PCA' },
  { kind: 'tsne', label: 't-SNE' },
  { kind: 'umap', label: 'UMAP' },
  { kind: 'features', label: 'two features' },
];

const METHOD: Partial<Record<EmbeddingKind, StreamMethod>> = { tsne: 'TSNE', umap: 'UMAP' };
const AXIS_NAME: Record<StreamMethod, string> = { TSNE: 't-SNE', UMAP: 'UMAP' };

export interface Coords {
  x: Float64Array;
  y: Float64Array;
  /** Present for 3-D views. */
  z?: Float64Array;
  xTitle: string;
  yTitle: string;
  zTitle?: string;
  /** Names the coordinate space (the plot keeps its zoom while it stays the same). */
  space: string;
  /** Axis ranges to hold while a layout moves (null: autorange). */
  range: [number, number][] | null;
}

export class ViewState {
  embedding = $state<EmbeddingKind>('pca');
  /** 2-D or 3-D (PCA, t-SNE, UMAP). */
  n_components = $state<2 | 3>(2);
  /** t-SNE / UMAP parameters, runs and layouts. */
  readonly stream = new EmbeddingState();
  private bound = false;
  xFeature = $state<string | null>(null);
  yFeature = $state<string | null>(null);
  /** Zoom shared by every pane's scatter (null = autorange). */
  range = $state.raw<{ x: [number, number]; y: [number, number] } | null>(null);
  /** Rows selected by lasso or box in any pane, shown in every pane (null = no selection). */
  selection = $state.raw<number[] | null>(null);

  /** Reads a Plotly relayout event into the shared zoom. */
  relayout(ev: Record<string, unknown>): void {
    if (ev['xaxis.autorange'] || ev['yaxis.autorange']) {
      if (this.range !== null) this.range = null;
      return;
    }
    const x0 = ev['xaxis.range[0]'];
    const x1 = ev['xaxis.range[1]'];
    const y0 = ev['yaxis.range[0]'];
    const y1 = ev['yaxis.range[1]'];
    if (![x0, x1, y0, y1].every((v) => typeof v === 'number')) return;
    const r = this.range;
    // Plotly reports the ranges it already has too: an unchanged zoom must not redraw every pane.
    if (r && r.x[0] === x0 && r.x[1] === x1 && r.y[0] === y0 && r.y[1] === y1) return;
    this.range = { x: [x0 as number, x1 as number], y: [y0 as number, y1 as number] };
  }

  /** Forgets zoom and selection (new data). */
  reset(): void {
    this.range = null;
    this.selection = null;
  }

  /** Switches the embedding; zoom belongs to the old coordinates, the selection (rows) stays. */
  choose(kind: EmbeddingKind): void {
    if (kind === this.embedding) return;
    this.embedding = kind;
    this.range = null;
  }

  setDims(dims: 2 | 3): void {
    if (dims === this.n_components) return;
    this.n_components = dims;
    this.range = null;
  }

  /** The t-SNE / UMAP method shown, or null. */
  get method(): StreamMethod | null {
    return METHOD[this.embedding] ?? null;
  }

  /**
   * Starts (once) the effect that asks for the wanted t-SNE / UMAP layout whenever the data, the choice or its
   * parameters change; clustering parameters are not read, so they only re-colour the layout.
   */
  bind(dataset: DatasetState): void {
    if (this.bound) return;
    this.bound = true;
    $effect.root(() => {
      $effect(() => {
        const prepared = dataset.prepared;
        const method = this.method;
        const dims = this.n_components;
        if (method) void $state.snapshot(this.stream.params[method]); // tracked: a parameter change asks again
        if (!prepared) return;
        untrack(() => (method ? this.stream.want(prepared, method, dims) : this.stream.leave()));
      });
    });
  }

  /** The embedding for the exported configuration (two chosen features are a view, not an estimator: none). */
  embeddingConfig(): ClusterTuneConfig['embedding'] {
    const m = this.method;
    if (m) return { name: m, params: this.stream.jobParams(m, this.n_components) };
    if (this.embedding === 'features') return undefined;
    return { name: 'PCA', params: { n_components: this.n_components } };
  }

  loadEmbedding(e: NonNullable<ClusterTuneConfig['embedding']>): void {
    const dims = e.params.n_components === 3 ? 3 : 2;
    if (e.name !== 'PCA') this.stream.load(e.name, e.params);
    this.choose(e.name === 'TSNE' ? 'tsne' : e.name === 'UMAP' ? 'umap' : 'pca');
    this.setDims(dims);
  }

  /** The last static coordinates (PCA, two features) per space: the same object again, so the plots do not redraw. */
  private still: { prepared: PreparedInfo; coords: Coords } | null = null;

  /** `slow`: a moving t-SNE / UMAP layout is refreshed a few times a second only (small scatters). */
  coords(prepared: PreparedInfo, slow = false): Coords {
    const c = this.computeCoords(prepared, slow);
    if (c.space.startsWith('TSNE') || c.space.startsWith('UMAP')) return c;
    const s = this.still;
    if (s && s.prepared === prepared && s.coords.space === c.space && s.coords.xTitle === c.xTitle && s.coords.yTitle === c.yTitle) return s.coords;
    this.still = { prepared, coords: c };
    return c;
  }

  private computeCoords(prepared: PreparedInfo, slow: boolean): Coords {
    const n = prepared.n_samples;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const dims = this.embedding === 'features' ? 2 : this.n_components;
    const z = dims === 3 ? new Float64Array(n) : undefined;
    const m = this.method;
    const l = m ? (slow ? this.stream.slowLayout : this.stream.layout) : null;
    if (m && l && l.dataKey === prepared.key && l.method === m && l.n_components === dims) {
      const c = l.coords;
      for (let i = 0; i < n; i++) {
        x[i] = c[i * dims];
        y[i] = c[i * dims + 1];
        if (z) z[i] = c[i * dims + 2];
      }
      const a = AXIS_NAME[m];
      return { x, y, z, xTitle: `${a} 1`, yTitle: `${a} 2`, zTitle: `${a} 3`, space: `${m}${dims}`, range: l.range };
    }
    if (this.embedding === 'features') {
      const cols = prepared.fitted.columns;
      const xi = Math.max(0, cols.indexOf(this.xFeature ?? cols[0]));
      const yi = Math.max(0, cols.indexOf(this.yFeature ?? cols[Math.min(1, cols.length - 1)]));
      const d = prepared.n_features;
      for (let i = 0; i < n; i++) {
        x[i] = prepared.X[i * d + xi];
        y[i] = prepared.X[i * d + yi];
      }
      return { x, y, xTitle: `${cols[xi]} (scaled)`, yTitle: `${cols[yi]} (scaled)`, space: `features:${xi}:${yi}`, range: null };
    }
    for (let i = 0; i < n; i++) {
      x[i] = prepared.pca[i * 3];
      y[i] = prepared.pca[i * 3 + 1];
      if (z) z[i] = prepared.pca[i * 3 + 2];
    }
    const r = prepared.pca_explained_variance_ratio;
    const pct = (v: number | undefined) => (v === undefined ? '' : ` (${(v * 100).toFixed(1)} % of variance)`);
    // t-SNE / UMAP before their first frame show PCA (t-SNE starts from it).
    return { x, y, z, xTitle: `PC 1${pct(r[0])}`, yTitle: `PC 2${pct(r[1])}`, zTitle: `PC 3${pct(r[2])}`, space: `PCA${dims}`, range: null };
  }
}

/**
 * A scatter's view of a moving t-SNE / UMAP layout: its frames are drawn in the plot's motion layer (`positions`, see
 * motion_layer.ts) while the figure underneath stays the one on screen when the motion started, so that neither the
 * start nor the frames call Plotly; the figure is redrawn in full once the layout stops or ends.
 */
export class MovingLayout {
  private anchor: Coords | null = null;
  /** The last 2-D coordinates drawn still (PCA, two features, a finished layout). */
  private still: Coords | null = null;

  /** A 2-D layout still being computed (steady ranges are held only while it runs). */
  static moving(c: Coords | null, running: boolean): boolean {
    return !!c && !c.z && c.range !== null && running;
  }

  /**
   * The coordinates the figure is built from: while moving, the ones it had when the motion started. A motion that
   * starts on a scatter already drawn with the same points keeps that very figure (same object, so nothing downstream
   * changes: no Plotly.react, which cost 60-400 ms here); the motion layer covers it. Otherwise (nothing drawn yet) the
   * first frame, once.
   */
  figure(c: Coords | null, moving: boolean): Coords | null {
    if (!c || !moving) {
      this.anchor = null;
      if (c && !c.z) this.still = c;
      return c;
    }
    if (!this.anchor || this.anchor.x.length !== c.x.length) {
      const s = this.still;
      this.anchor = s && s.x.length === c.x.length ? s : c;
    }
    return this.anchor;
  }

  /** The live frame, the ranges to draw it in (the user's zoom first) and its axis titles, while moving. */
  static positions(c: Coords | null, moving: boolean, zoom: { x: [number, number]; y: [number, number] } | null): Positions | null {
    if (!c || !moving || !c.range) return null;
    return { x: c.x, y: c.y, range: [zoom?.x ?? c.range[0], zoom?.y ?? c.range[1]], titles: [c.xTitle ?? '', c.yTitle ?? ''] };
  }
}
