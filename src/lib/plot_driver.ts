/**
 * What Plot.svelte (the only Plotly wrapper) does with its figure, free of Svelte: figures go through Plotly.react, one
 * call at a time (a newer figure replaces a queued one); a change of the colours alone (trace 0's marker colours)
 * takes the fast scattergl path when the plot allows it; moving positions and, with pointLayer, trace 0 itself are
 * drawn in the CPU layer over the plot area (motion_layer.ts); full redraws of background figures are paced; resizes
 * redraw; destroy purges. The component tells it what changed (setFigure, coloursChanged, positionsChanged,
 * marksChanged); it reads the component's props (PlotInputs) at the moment it uses them.
 */
import { loadPlotly } from './plotly.ts';
import { recolourScattergl, type RecolourPath } from './fast_recolour.ts';
import { MotionLayer, type LayerMode, type Positions } from './motion_layer.ts';
import { dragFrame, previewFrame, stillFrame, type LayerFrame } from './scatter_frames.ts';
import { placeMarks, type Marks } from './plot_marks.ts';
import { oneTaskEach } from './tasks.ts';
import { STREAM_REDRAW_GAP_MS, dragQuietIn, motionHoldIn, redrawQuietIn } from '../state/latency.ts';

/**
 * What the driver reads from its component, each at the moment it uses it (Plot.svelte's props: see their comments
 * there). Getters there: the newest value always, callbacks included.
 */
export interface PlotInputs {
  /** The plot element (bound by the time a figure is drawn). */
  readonly el: HTMLElement;
  readonly colours: string[] | string | null;
  readonly positions: Positions | null;
  readonly marks: Marks | null;
  readonly pace: boolean;
  readonly stream: boolean;
  readonly pointLayer: boolean;
  readonly label: string;
  readonly onCommit?: (path: RecolourPath) => void;
  readonly onSelected?: (points: number[] | null) => void;
  readonly onClick?: (point: any) => void;
  readonly onRelayout?: (ev: any) => void;
  readonly onReady?: (gd: any) => void;
}

export interface PlotFigure {
  data: any[];
  layout: any;
  config: any;
}

/**
 * Every axis lets a tick label pass its edge (Plotly's default, 'hide past div', measures each label's box on every
 * full redraw: a forced layout of the page each time; 30 % of a k-sweep figure's redraw, measured).
 */
const AXES_TEMPLATE = { layout: { xaxis: { ticklabeloverflow: 'allow' }, yaxis: { ticklabeloverflow: 'allow' } } };

/** The figure Plotly gets: the plots' defaults under the given layout and config. */
export function plotFigure(data: any[], layout: Record<string, any>, config: Record<string, any>): PlotFigure {
  return {
    data,
    layout: { autosize: true, margin: { l: 56, r: 16, t: 28, b: 48 }, font: { family: 'inherit', size: 12 }, template: AXES_TEMPLATE, ...layout },
    // Every plot keeps Plotly's "Download plot as a PNG" button (mode bar, on hover).
    config: { responsive: false, displaylogo: false, plotGlPixelRatio: 1, toImageButtonOptions: { format: 'png', filename: 'clustertune-plot', scale: 2 }, ...config },
  };
}

/** Longest wait for a preview of new positions before Plotly draws them (100,000 points: 4 parts, ~30-100 ms). */
const PREVIEW_WAIT_MS = 400;

/** Resolves once the browser has painted a frame (what was drawn before it is on screen). */
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

export class PlotDriver {
  private figure: PlotFigure | null = null;
  private figureDirty = false;
  private coloursDirty = false;
  private positionsDirty = false;
  /** The moving positions could not go the fast way: the next full redraw draws them. */
  private positionsViaReact = false;
  /** The colours could not go the fast way after a full redraw: the next one gives them to Plotly itself. */
  private coloursViaReact = false;
  /** The CPU layer over the plot area: the points, a moving layout's frames, a drag's colours (made with the element). */
  private layer: MotionLayer | null = null;
  /** Colours drawn in the layer only: Plotly gets them when the motion ends or the drag pauses. */
  private coloursPending = false;
  private running = false;
  private destroyed = false;
  private drawn = false;
  private Plotly: any = null;
  private deferred: ReturnType<typeof setTimeout> | null = null;
  private lastEnd = 0;
  private lastCost = 0;
  private handoverTimer: ReturnType<typeof setTimeout> | null = null;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly markEls: HTMLElement[] = [];

  constructor(private readonly props: PlotInputs) {}

  private get el(): HTMLElement {
    return this.props.el;
  }

  /** A new figure (plotFigure's): drawn in full, when its turn comes. */
  setFigure(figure: PlotFigure): void {
    this.figure = figure;
    this.figureDirty = true;
    void this.drain();
  }

  /** New colours of trace 0 (props.colours). */
  coloursChanged(): void {
    this.coloursDirty = true;
    void this.drain();
  }

  /** New moving positions of trace 0 (props.positions), or their end (null). */
  positionsChanged(): void {
    if (this.props.positions) this.positionsDirty = true;
    void this.drain();
  }

  /** New marks (props.marks): placed at once, without a Plotly call. */
  marksChanged(): void {
    this.placeMarksNow();
  }

  /**
   * The figure's data with trace 0's colours; with the moving positions too when the plot has not been drawn yet (a
   * layout restored while it runs): the motion layer needs a drawn plot's area.
   */
  private withColours(d: any[], withPositions: boolean, oneColour = false): any[] {
    if ((this.props.colours === null && !(withPositions && this.props.positions)) || !d.length) return d;
    const t = { ...d[0] };
    if (this.props.colours !== null) t.marker = { ...d[0].marker, color: oneColour ? this.props.colours[0] : this.props.colours };
    if (withPositions && this.props.positions) Object.assign(t, { x: this.props.positions.x, y: this.props.positions.y });
    return [t, ...d.slice(1)];
  }

  /** Draws the moving positions in the motion layer; false when the plot cannot show them so (not drawn yet, 3-D). */
  private move(): boolean {
    const t = this.figure?.data[0];
    if (!this.props.positions || !this.layer || !this.drawn || t?.type !== 'scattergl') return false;
    const c = this.props.colours ?? t.marker?.color ?? '#1f77b4';
    this.layer.draw(this.props.positions, c, { size: t.marker?.size ?? 4, opacity: t.marker?.opacity ?? 1 }, this.figure!.layout.margin, 'motion');
    this.positionsDirty = false;
    return true;
  }

  /** Draws `f` in the layer (onShown: once on its canvas); false for null (nothing the layer can show). */
  private drawLayer(f: LayerFrame | null, mode: LayerMode, onShown?: () => void): boolean {
    if (!f || !this.layer) return false;
    this.layer.draw(f.frame, f.colours, f.marker, this.figure!.layout.margin, mode, f.selection, onShown);
    return true;
  }

  /** New colours of the figure's own points in the layer, during a slider drag (not while a figure change waits). */
  private layerColours(onShown: () => void): boolean {
    return this.drawn && !this.figureDirty && this.drawLayer(dragFrame(this.el, this.figure?.data[0], this.props.colours), 'drag', onShown);
  }

  /**
   * With pointLayer, draws trace 0 as Plotly holds it (with a zoom / pan or a lasso under way), in the current colours;
   * false when it cannot (not a drawn 2-D scattergl trace on linear axes): then Plotly's own WebGL layer shows.
   */
  private still(lasso: number[] | null = null, relayouting: any = null, onShown?: () => void): boolean {
    return this.props.pointLayer && this.drawn && !this.props.positions && this.drawLayer(stillFrame(this.el, this.props.colours, lasso, relayouting), 'still', onShown);
  }

  private placeMarksNow(): void {
    if (this.el) placeMarks(this.el, this.markEls, this.drawn ? this.props.marks : null);
  }

  /**
   * With pointLayer, shows trace 0's new positions (new data, another embedding; not those Plotly has, nor those the
   * layer shows) at once, before Plotly's draw of them (~0.5 s of the main thread at 100,000 points), with Plotly's
   * old axes hidden as for a moving layout until it has drawn. Resolves once they are on screen (a large figure's
   * parts all drawn, then a frame painted; at most PREVIEW_WAIT_MS), at once when there is nothing new to show so.
   */
  private async preview(f: { data: any[]; layout: any }): Promise<void> {
    const x = f.data[0]?.x;
    if (!this.props.pointLayer || !this.layer || this.props.positions || !x || (this.drawn && (this.el as any).data?.[0]?.x === x) || this.layer.drawn?.frame.x === x) return;
    const area = this.layer.area(f.layout.margin);
    let drawing = false;
    const shown = new Promise<void>((resolve) => (drawing = this.drawLayer(previewFrame(f, area.w, area.h, this.props.colours), 'motion', resolve)));
    if (!drawing) return;
    // (a draw superseded meanwhile never calls back: the wait is bounded)
    await Promise.race([shown, new Promise((r) => setTimeout(r, PREVIEW_WAIT_MS))]);
    await nextFrame();
  }

  /**
   * Whether a full redraw of `f` gives Plotly one colour and the per-point colours then go the fast way: Plotly parses
   * every colour string of a scattergl trace on each full redraw (46 % of the redraw that ends a t-SNE run, once
   * regl-scatter2d's share was held: traced). Not with a selection drawn (the fast path leaves that state to Plotly).
   */
  private coloursAfter(f: { data: any[] }): boolean {
    const t = f.data[0];
    return this.props.pointLayer && !this.coloursViaReact && Array.isArray(this.props.colours) && this.props.colours.length > 0 && t?.type === 'scattergl' && this.props.colours.length === t.x?.length && !t.selectedpoints;
  }

  /** The layer's work of the moment is over: with pointLayer it shows the figure again, without it goes. */
  private rest(): void {
    if (!this.still()) this.layer?.hide();
  }

  /** Runs drain again once the drag has paused (Plotly then takes the colours over from the layer). */
  private handoverLater(): void {
    this.handoverTimer ??= setTimeout(() => {
      this.handoverTimer = null;
      if (dragQuietIn() > 0) this.handoverLater();
      else void this.drain();
    }, dragQuietIn() + 5);
  }

  /** The layer's work is over: moving positions stopped, or a drag paused. */
  private layerDone(): boolean {
    return !!this.layer?.showing && this.layer.mode !== 'still' && (this.layer.mode === 'motion' ? !this.props.positions : !this.props.positions && dragQuietIn() === 0);
  }

  /**
   * How long a background figure's (pace) full redraw still waits: for a drag to pause (a streamed figure's: for the
   * slider to be left alone a while), for a t-SNE / UMAP layout to stop moving, and as long as its last redraw took
   * (a streamed figure's: at least STREAM_REDRAW_GAP_MS).
   */
  private backgroundWait(): number {
    const gap = this.props.stream ? Math.max(this.lastCost, STREAM_REDRAW_GAP_MS) : this.lastCost;
    return Math.max(this.props.stream ? redrawQuietIn() : dragQuietIn(), motionHoldIn(), this.lastEnd + gap - performance.now());
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (!this.Plotly && this.figure) await this.preview(this.figure); // the points before Plotly is even loaded
      this.Plotly ??= await loadPlotly();
      while ((this.figureDirty || this.coloursDirty || this.positionsDirty || this.layerDone()) && !this.destroyed && this.figure) {
        if (this.props.positions && (this.positionsDirty || (this.coloursDirty && this.layer?.showing))) {
          // a frame, or new colours of the moving points: into the motion layer, now (a few ms)
          if (this.move()) {
            if (this.coloursDirty) {
              this.coloursDirty = false;
              this.coloursPending = true;
              this.props.onCommit?.('fast');
            }
          } else if (this.positionsDirty && !this.figureDirty) this.figureDirty = this.positionsViaReact = true; // not drawn yet: one full redraw
        }
        if (this.coloursDirty && !this.props.positions && this.props.pointLayer && dragQuietIn() > 0 && this.layer?.mode !== 'motion' && this.layerColours(() => this.props.onCommit?.('fast'))) {
          // new colours during a drag: into the layer, now (a large figure's in parts); Plotly gets them when the drag
          // pauses
          this.coloursDirty = false;
          this.coloursPending = true;
          this.handoverLater();
          continue;
        }
        if (this.layerDone()) {
          // the motion ended or the drag paused: Plotly's figure takes over (with the colours shown meanwhile), then
          // the layer goes
          if (this.coloursPending) this.coloursDirty = true;
          this.coloursPending = false;
          if (!this.figureDirty && !this.coloursDirty) {
            this.rest();
            continue;
          }
        }
        if (!this.figureDirty && !this.coloursDirty) continue;
        // While a slider is dragged, a drawn plot's full redraw waits for the drag to pause (colours still go through);
        // a background figure's (pace), its first draw too, waits as backgroundWait says
        const wait = this.figureDirty && (this.drawn || this.props.pace) ? (this.props.pace ? this.backgroundWait() : dragQuietIn()) : 0;
        if (wait > 0) {
          if (this.coloursDirty && Array.isArray(this.props.colours) && recolourScattergl(this.el, this.props.colours)) {
            this.coloursDirty = false;
            if (this.layer?.mode !== 'still' || !this.still(null, null, () => this.props.onCommit?.('fast'))) this.props.onCommit?.('fast');
          }
          this.deferred ??= setTimeout(() => {
            this.deferred = null;
            void this.drain();
          }, wait + 5);
          break;
        }
        if (this.figureDirty || !this.drawn || !Array.isArray(this.props.colours) || !recolourScattergl(this.el, this.props.colours)) {
          this.figureDirty = false;
          this.coloursDirty = false;
          this.positionsDirty = false;
          const f = this.figure;
          await this.preview(f); // the new points on screen before Plotly's draw
          const via = this.positionsViaReact || !this.drawn;
          this.positionsViaReact = false;
          let t0 = 0;
          const redraw = async (): Promise<boolean> => {
            // a background figure's turn may come after a drag or a motion began: it waits for them again
            if (this.destroyed || (this.props.pace && this.backgroundWait() > 0)) return false;
            t0 = performance.now();
            const late = this.coloursAfter(f) ? (this.props.colours as string[]) : null;
            this.coloursViaReact = false;
            await this.Plotly.react(this.el, this.withColours(f.data, via, !!late), f.layout, f.config);
            if (late && !recolourScattergl(this.el, late)) this.coloursDirty = this.coloursViaReact = true; // (not expected)
            return true;
          };
          // a background figure's redraw in a task of its own (figures that change together do not add up)
          const redrawn = await (this.props.pace ? oneTaskEach(redraw) : redraw());
          if (this.destroyed) break;
          if (!redrawn) {
            this.figureDirty = true;
            this.positionsViaReact = via;
            continue;
          }
          this.lastEnd = performance.now();
          this.lastCost = this.lastEnd - t0;
          // for benchmarks: which plot redrew in full, and what it cost the main thread
          performance.measure('plot-redraw', { start: t0, end: this.lastEnd, detail: this.props.label });
          if (!this.drawn) this.bind();
          this.drawn = true;
          this.placeMarksNow();
          if (this.props.positions) this.move(); // the layer follows a resize or a zoom of the figure underneath
          else if (!this.coloursDirty && !this.figureDirty && (this.layer?.mode === 'motion' || this.layerDone())) this.rest();
          else if (this.layer?.mode === 'drag') this.coloursPending = true; // a redraw mid-drag: the layer's colours go on top
          else if (this.layer?.mode !== 'motion') this.rest();
          this.props.onCommit?.('react');
        } else {
          this.coloursDirty = false;
          this.props.onCommit?.('fast');
          // Plotly has the colours the layer shows (its WebGL layer stays hidden)
          if (this.layerDone() && !this.figureDirty) this.rest();
          else if (this.layer?.mode === 'still') this.still();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private bind(): void {
    const gd = this.el as any;
    gd.on('plotly_selected', (ev: any) => this.props.onSelected?.(ev ? ev.points.map((p: any) => p.pointIndex) : null));
    gd.on('plotly_deselect', () => this.props.onSelected?.(null));
    gd.on('plotly_click', (ev: any) => this.props.onClick?.(ev?.points?.[0]));
    gd.on('plotly_relayout', (ev: any) => this.props.onRelayout?.(ev));
    gd.on('plotly_afterplot', () => this.placeMarksNow());
    if (this.props.pointLayer) {
      // the points follow every draw of Plotly's (a resize, a zoom), a pan or zoom under way, and the lasso under way
      const idle = () => !this.running && !this.props.positions && (this.layer?.mode === 'still' || !this.layer?.showing);
      gd.on('plotly_afterplot', () => idle() && this.rest());
      gd.on('plotly_relayouting', (ev: any) => idle() && this.still(null, ev));
      gd.on('plotly_selecting', (ev: any) => idle() && Array.isArray(ev?.points) && this.still(ev.points.map((p: any) => p.pointIndex)));
    }
    this.props.onReady?.(gd);
  }

  /** A resize redraws the figure in full: a paced plot's waits, like its other redraws, for a drag or a motion to end. */
  resize(): void {
    if (!this.Plotly || !this.drawn || this.destroyed) return;
    const wait = this.props.pace ? Math.max(this.props.stream ? redrawQuietIn() : dragQuietIn(), motionHoldIn()) : 0;
    if (wait > 0) {
      this.resizeTimer ??= setTimeout(() => {
        this.resizeTimer = null;
        this.resize();
      }, wait + 5);
      return;
    }
    this.Plotly.Plots.resize(this.el);
  }

  /** The element is in the page: the layer over its plot area, and a redraw on each resize. Returns the cleanup. */
  mount(): () => void {
    this.layer = new MotionLayer(this.el);
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(this.el);
    return () => ro.disconnect();
  }

  /** Stops everything waiting and purges the plot. */
  destroy(): void {
    this.destroyed = true;
    if (this.deferred) clearTimeout(this.deferred);
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    if (this.handoverTimer) clearTimeout(this.handoverTimer);
    if (this.Plotly && this.el) this.Plotly.purge(this.el);
  }
}
