/**
 * Input-to-commit latency of slider-driven recolours: a slider marks its input event, each plot measures `recolour`
 * (performance.measure, detail = the plot's channel) when it has committed the new colours. A plot recoloured because
 * of another pane's input (colours matched to pane 1) measures from that input.
 *
 * It also tells the plots when a slider is being dragged (an input within the last QUIET_MS): full Plotly redraws of
 * other figures (diagnostics, heatmaps, a streaming layout) wait until the drag pauses, so that the live recolour
 * finds the main thread free (../shared/notes/plotly_recolour.md: a Plotly.react costs 25-150 ms here).
 */
import { afterDraw } from '../lib/fast_recolour.ts';

const pending = new Map<string, number>();
let lastInput: number | null = null;
const answered = new Map<string, number>();

/** A drag is "on" while slider inputs come closer together than this (ms). */
export const QUIET_MS = 350;

const holdListeners = new Set<() => void>();
/** Loads under way (background work waits for them: holdBackground). */
let loads = 0;

export function markInput(channel: string): void {
  const t = performance.now();
  pending.set(channel, t);
  lastInput = t;
  for (const f of holdListeners) f();
}

/**
 * Runs `f` whenever background work should make room: on every slider input, and while new data loads (2 cores are
 * shared by the page, the browser's software rasteriser and the workers). Returns the unsubscribe.
 */
export function onHoldBackground(f: () => void): () => void {
  holdListeners.add(f);
  return () => holdListeners.delete(f);
}

/** Polling interval of work held while new data loads. */
const LOAD_POLL_MS = 100;

/**
 * Holds background work of the data on screen (sweeps, the slider lookahead, metrics) until the answered function is
 * called: while a new file is read and prepared, that work is about to be obsolete and would take a core from the
 * data worker. (It was a lease renewed by a timer, which lapsed whenever the main thread was busy for longer than the
 * renewal period, 300 ms: a Plotly draw of 100,000 points takes 300-500 ms here.)
 */
export function holdBackground(): () => void {
  loads++;
  for (const f of holdListeners) f();
  let held = true;
  return () => {
    if (held) loads--;
    held = false;
  };
}

/** Milliseconds until background work held by holdBackground (a load) may be asked about again (0: it may go on). */
export function loadHoldIn(): number {
  return loads > 0 ? LOAD_POLL_MS : 0;
}

/** Milliseconds until background work may go on (a drag paused, no load holding it). */
export function backgroundHoldIn(): number {
  return Math.max(dragQuietIn(), loadHoldIn());
}

/** Milliseconds until the current slider drag counts as paused (0: no drag). */
export function dragQuietIn(): number {
  if (lastInput === null) return 0;
  return Math.max(0, lastInput + QUIET_MS - performance.now());
}

/**
 * Full redraws of the figures fed in the background (diagnostics, sweeps) wait longer after a slider input than other
 * background work: a hand that pauses mid-drag for under a second and goes on must find the main thread free, and
 * such a redraw costs 15-130 ms of it here (a k-sweep figure, on a loaded machine).
 */
export const REDRAW_QUIET_MS = 1000;

/**
 * A figure fed by a stream (a sweep's cells or points) redraws at most this often (ms). Paced only by its own cost, it
 * redrew as often as it could (half the main thread while a sweep ran), so a drag begun meanwhile often found a redraw
 * under way: the one task over 50 ms of an eps drag (a 56 ms redraw of the eps x min_samples heatmap, 80 ms before
 * the first key press; 27-89 ms each, three in 1.3 s).
 */
export const STREAM_REDRAW_GAP_MS = 500;

/** Milliseconds until a background figure may redraw after the last slider input. */
export function redrawQuietIn(): number {
  if (lastInput === null) return 0;
  return Math.max(0, lastInput + REDRAW_QUIET_MS - performance.now());
}

/** Polling interval of a held redraw while a layout moves. */
const MOTION_POLL_MS = 250;
let moving: () => boolean = () => false;

/**
 * Registers what tells that a t-SNE / UMAP layout is moving (the embedding state). While it does, full redraws of the
 * figures fed in the background (diagnostics, sweeps) wait for it to stop: each costs 60-400 ms of main thread here
 * (measured: the k-sweep's small multiples), and the moving scatter must never wait over 50 ms for the main thread.
 */
export function setMotionSource(isMoving: () => boolean): void {
  moving = isMoving;
}

/** Milliseconds to wait before asking again whether a background figure may redraw (0: it may). */
export function motionHoldIn(): number {
  return moving() ? MOTION_POLL_MS : 0;
}

/** When the channel's last job was posted to its worker and answered, and the worker's own time (ms). */
const stamps = new Map<string, { sent: number; answer?: number; worker?: number }>();

export function markSent(channel: string): void {
  stamps.set(channel, { sent: performance.now() });
}

export function markAnswer(channel: string, workerMs: number): void {
  const s = stamps.get(channel);
  if (s) Object.assign(s, { answer: performance.now(), worker: workerMs });
}

/**
 * Records performance.measure('recolour') from the newest input not yet answered by this plot. Its detail splits the
 * path when this plot's own job answered the input: `sent` (input -> job posted), `answer` (input -> answer received),
 * `worker` (the worker's compute time), all in ms; the rest up to the duration is the commit (colours into the plot).
 */
export function measureCommit(channel: string): void {
  let start = pending.get(channel);
  if (start !== undefined) pending.delete(channel);
  else if (lastInput !== null && answered.get(channel) !== lastInput) start = lastInput;
  if (start === undefined) return;
  answered.set(channel, lastInput ?? start);
  const s = stamps.get(channel);
  const own = s && s.sent >= start && s.answer !== undefined;
  const detail = own ? { channel, sent: s.sent - start, answer: s.answer! - start, worker: s.worker } : { channel };
  performance.measure('recolour', { start, end: performance.now(), detail });
  // and when the plot issued the draw of those colours (the scatter draws just after the next frame)
  afterDraw(() => performance.measure('recolour-drawn', { start, end: performance.now(), detail }));
}
