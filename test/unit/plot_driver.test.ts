/**
 * Plot.svelte's drawing (src/lib/plot_driver.ts) against a fake Plotly and a fake plot element, without the layer
 * over the plot (it needs a page: mount() is not called, as before a plot's element is in the page): Plotly.react one
 * call at a time with the newest figure, colours the fast way when the plot allows it, moving positions in a full
 * redraw when no layer can show them, redraws held for a drag or a motion, the newest callbacks, destroy.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  plotly: null as any,
  recolour: null as any,
}));

vi.mock('../../src/lib/plotly.ts', () => ({ loadPlotly: async () => fake.plotly }));
vi.mock('../../src/lib/fast_recolour.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/lib/fast_recolour.ts')>()),
  recolourScattergl: (gd: any, colours: string[]) => fake.recolour(gd, colours),
}));

import { PlotDriver, plotFigure, type PlotInputs } from '../../src/lib/plot_driver.ts';
import { markInput, setMotionSource } from '../../src/state/latency.ts';

/** A Plotly whose react() waits for `release()` when gated, and counts the calls under way at once. */
function fakePlotly() {
  const p = {
    calls: [] as { data: any[]; layout: any; config: any }[],
    active: 0,
    maxActive: 0,
    gate: null as Promise<void> | null,
    open: () => undefined as void,
    react: vi.fn(async (gd: any, data: any[], layout: any, config: any) => {
      p.active++;
      p.maxActive = Math.max(p.maxActive, p.active);
      p.calls.push({ data, layout, config });
      if (p.gate) await p.gate;
      gd.data = data;
      p.active--;
    }),
    purge: vi.fn(),
    Plots: { resize: vi.fn() },
    hold() {
      p.gate = new Promise<void>((r) => (p.open = r));
    },
    release() {
      p.gate = null;
      p.open();
    },
  };
  return p;
}

/** A plot element with Plotly's event hooks (gd.on) and a way to fire them. */
function fakeElement() {
  const handlers = new Map<string, ((ev?: any) => void)[]>();
  return {
    data: undefined as any,
    on(name: string, f: (ev?: any) => void) {
      handlers.set(name, [...(handlers.get(name) ?? []), f]);
    },
    emit(name: string, ev?: any) {
      for (const f of handlers.get(name) ?? []) f(ev);
    },
    handlers,
  };
}

type Inputs = { -readonly [K in keyof PlotInputs]: PlotInputs[K] };

function setup(over: Partial<Inputs> = {}) {
  const el = fakeElement();
  const props: Inputs = {
    el: el as any,
    colours: null,
    positions: null,
    marks: null,
    pace: false,
    stream: false,
    pointLayer: false,
    label: 'test plot',
    onCommit: vi.fn(),
    onSelected: vi.fn(),
    onClick: vi.fn(),
    onRelayout: vi.fn(),
    onReady: vi.fn(),
    ...over,
  };
  return { el, props, driver: new PlotDriver(props) };
}

const trace = (x: number[], extra: Record<string, unknown> = {}) => ({ type: 'scattergl', mode: 'markers', x, y: x.map((v) => -v), marker: { size: 4 }, ...extra });
const figure = (x: number[], layout: Record<string, any> = {}) => plotFigure([trace(x)], layout, {});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PlotDriver', () => {
  beforeEach(() => {
    fake.plotly = fakePlotly();
    fake.recolour = vi.fn(() => false);
  });
  afterEach(() => setMotionSource(() => false));

  it("draws a figure with Plotly.react under the plots' defaults, trace 0 in the current colours; then binds the events and reports ready", async () => {
    const { el, props, driver } = setup({ colours: ['#111111', '#222222', '#333333'] });
    driver.setFigure(plotFigure([trace([1, 2, 3]), trace([4])], { title: { text: 'T' }, margin: { l: 1, r: 2, t: 3, b: 4 } }, { displayModeBar: 'hover' }));
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('react'));

    expect(fake.plotly.react).toHaveBeenCalledTimes(1);
    const [gd, data, layout, config] = fake.plotly.react.mock.calls[0];
    expect(gd).toBe(el);
    expect(data[0].marker).toEqual({ size: 4, color: ['#111111', '#222222', '#333333'] });
    expect(data[1].marker).toEqual({ size: 4 }); // only trace 0 takes the colours
    expect(layout.margin).toEqual({ l: 1, r: 2, t: 3, b: 4 }); // the figure's own layout wins over the defaults
    expect(layout.title).toEqual({ text: 'T' });
    expect(layout.template.layout.xaxis.ticklabeloverflow).toBe('allow');
    expect(config).toMatchObject({ displaylogo: false, plotGlPixelRatio: 1, displayModeBar: 'hover' });
    expect(props.onReady).toHaveBeenCalledWith(el);

    el.emit('plotly_selected', { points: [{ pointIndex: 2 }, { pointIndex: 0 }] });
    expect(props.onSelected).toHaveBeenLastCalledWith([2, 0]);
    el.emit('plotly_deselect');
    expect(props.onSelected).toHaveBeenLastCalledWith(null);
    el.emit('plotly_click', { points: [{ x: 7 }] });
    expect(props.onClick).toHaveBeenCalledWith({ x: 7 });
    // without pointLayer, no handlers of the layer's
    expect(el.handlers.has('plotly_relayouting')).toBe(false);
  });

  it('calls Plotly.react one at a time: the figures given meanwhile are drawn once, the newest', async () => {
    const { props, driver } = setup();
    fake.plotly.hold();
    driver.setFigure(figure([1]));
    await vi.waitFor(() => expect(fake.plotly.react).toHaveBeenCalledTimes(1));
    driver.setFigure(figure([2]));
    driver.coloursChanged();
    driver.setFigure(figure([3]));
    await sleep(20);
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);

    fake.plotly.release();
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledTimes(2));
    await sleep(20);
    expect(fake.plotly.react).toHaveBeenCalledTimes(2);
    expect(fake.plotly.calls[1].data[0].x).toEqual([3]);
    expect(fake.plotly.maxActive).toBe(1);
  });

  it('gives a drawn plot new colours the fast way when the plot allows it, else in a full redraw; with the newest onCommit', async () => {
    const { el, props, driver } = setup({ colours: ['#111111', '#222222'] });
    driver.setFigure(figure([1, 2]));
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('react'));

    const first = props.onCommit!;
    const second = vi.fn();
    props.onCommit = second;
    fake.recolour = vi.fn(() => true);
    props.colours = ['#333333', '#444444'];
    driver.coloursChanged();
    await vi.waitFor(() => expect(second).toHaveBeenCalledWith('fast'));
    expect(fake.recolour).toHaveBeenCalledWith(el, ['#333333', '#444444']);
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledTimes(1);

    fake.recolour = vi.fn(() => false); // (a selection drawn, another kind of plot)
    props.colours = ['#555555', '#666666'];
    driver.coloursChanged();
    await vi.waitFor(() => expect(second).toHaveBeenCalledWith('react'));
    expect(fake.plotly.react).toHaveBeenCalledTimes(2);
    expect(fake.plotly.calls[1].data[0].marker.color).toEqual(['#555555', '#666666']);
  });

  it('draws moving positions in a full redraw when no layer can show them (before the first draw, and after)', async () => {
    const range: [[number, number], [number, number]] = [[0, 1], [0, 1]];
    const { props, driver } = setup({ positions: { x: Float64Array.of(0.1, 0.2), y: Float64Array.of(0.3, 0.4), range } });
    driver.setFigure(figure([1, 2]));
    driver.positionsChanged();
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('react'));
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);
    expect(Array.from(fake.plotly.calls[0].data[0].x)).toEqual([0.1, 0.2]);
    expect(Array.from(fake.plotly.calls[0].data[0].y)).toEqual([0.3, 0.4]);

    props.positions = { x: Float64Array.of(0.5, 0.6), y: Float64Array.of(0.7, 0.8), range };
    driver.positionsChanged();
    await vi.waitFor(() => expect(fake.plotly.react).toHaveBeenCalledTimes(2));
    expect(Array.from(fake.plotly.calls[1].data[0].x)).toEqual([0.5, 0.6]);

    // the motion ends (no positions): nothing more to draw for it
    props.positions = null;
    driver.positionsChanged();
    await sleep(30);
    expect(fake.plotly.react).toHaveBeenCalledTimes(2);
  });

  it("holds a background (paced) figure's redraw while a layout moves, and draws it once the motion stops", async () => {
    let moving = true;
    setMotionSource(() => moving);
    const { props, driver } = setup({ pace: true });
    driver.setFigure(figure([1]));
    await sleep(400); // the hold polls every 250 ms
    expect(fake.plotly.react).not.toHaveBeenCalled();

    moving = false;
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('react'), { timeout: 2000 });
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);
  });

  it('destroy purges the plot, and a figure waiting behind a draw under way is not drawn', async () => {
    const { el, driver } = setup();
    fake.plotly.hold();
    driver.setFigure(figure([1]));
    await vi.waitFor(() => expect(fake.plotly.react).toHaveBeenCalledTimes(1));
    driver.setFigure(figure([2]));
    driver.destroy();
    expect(fake.plotly.purge).toHaveBeenCalledWith(el);
    fake.plotly.release();
    await sleep(30);
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);
  });

  // last: the slider input stays the newest one in latency.ts for the rest of this file
  it("holds a drawn plot's full redraw while a slider is dragged, its new colours still going the fast way", async () => {
    const { props, driver } = setup({ colours: ['#111111'] });
    driver.setFigure(figure([1]));
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('react'));

    markInput('test');
    fake.recolour = vi.fn(() => true);
    props.colours = ['#222222'];
    driver.setFigure(figure([2]));
    driver.coloursChanged();
    await vi.waitFor(() => expect(props.onCommit).toHaveBeenCalledWith('fast'));
    expect(fake.plotly.react).toHaveBeenCalledTimes(1);

    // the drag pauses (QUIET_MS, 350 ms after the input): the figure goes to Plotly
    await vi.waitFor(() => expect(fake.plotly.react).toHaveBeenCalledTimes(2), { timeout: 2000 });
    expect(fake.plotly.calls[1].data[0].x).toEqual([2]);
  });
});
