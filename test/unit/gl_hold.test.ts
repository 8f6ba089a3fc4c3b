/**
 * Holding a scatter's WebGL points while the CPU layer covers them (src/lib/gl_hold.ts): held, regl-scatter2d's
 * updates are kept and its draws skipped; released, one update leaves each trace as the calls one by one would have,
 * and the scene is drawn.
 */
import { describe, expect, it } from 'vitest';
import { holdGl } from '../../src/lib/gl_hold.ts';

type Opts = Record<string, unknown>;

/** regl-scatter2d's update() as it treats its arguments: one array, or one argument per trace; the call's length wins. */
function fakeScatter() {
  const state = { groups: [] as (Opts | undefined)[], updates: 0, draws: 0 };
  const norm = (o: unknown): Opts => (o === null ? { positions: null } : Array.isArray(o) || ArrayBuffer.isView(o) ? { positions: o } : typeof o === 'function' ? { ondraw: o } : (o as Opts));
  const render: any = () => undefined;
  render.update = (...args: unknown[]) => {
    state.updates++;
    const per = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    state.groups = per.map((o, i) => {
      if (o === undefined) return state.groups[i];
      const g = { ...state.groups[i], ...norm(o) };
      if (g.positions === null) g.positions = []; // (null clears a trace's points)
      return g;
    });
    return render;
  };
  render.draw = () => {
    state.draws++;
    return render;
  };
  return { render, state };
}

function fakePlot() {
  const points = fakeScatter();
  const selected = fakeScatter();
  let clears = 0;
  const scene: any = { scatter2d: points.render, select2d: false, draw: () => scene.scatter2d.draw(0) };
  const gd: any = {
    _fullLayout: { _plots: { xy: { _scene: scene } }, _glcanvas: { each: (f: (c: any) => void) => f({ regl: { clear: () => clears++ } }) } },
  };
  return { gd, scene, points, selected, clears: () => clears };
}

/** A run of updates in each of the forms Plotly uses. */
function updates(u: (...a: unknown[]) => unknown) {
  const pos1 = new Float64Array([0, 0, 1, 1]);
  const pos2 = new Float64Array([2, 2, 3, 3]);
  u([{ positions: pos1, color: 'a', size: 4 }]); // scene.markerOptions
  u([{ range: [0, 0, 1, 1] }]); // scene.update(viewport)
  u({ color: ['b', 'c'] }); // one trace's options as the only argument (apply form)
  u([undefined]); // nothing for trace 0
  u([{ positions: pos2 }]);
  u([{ color: 'd', opacity: 0.5 }]);
}

describe('holdGl', () => {
  it('passes updates and draws through while not held', () => {
    const { gd, points } = fakePlot();
    holdGl(gd, false);
    points.render.update([{ color: 'x' }]);
    points.render.draw();
    expect(points.state).toMatchObject({ updates: 1, draws: 1, groups: [{ color: 'x' }] });
  });

  it('keeps updates and skips draws while held; released, one update gives the state of the calls one by one, then a draw', () => {
    const { gd, scene, points, clears } = fakePlot();
    const reference = fakeScatter();
    updates(reference.render.update);

    holdGl(gd, true);
    updates((...a) => scene.scatter2d.update(...a));
    scene.draw();
    scene.draw();
    expect(points.state.updates).toBe(0);
    expect(points.state.draws).toBe(0);

    holdGl(gd, false);
    expect(points.state.updates).toBe(1);
    expect(points.state.groups).toEqual(reference.state.groups);
    expect(points.state.draws).toBe(1);
    expect(clears()).toBe(1); // the canvas is cleared before the draw, as Plotly does
  });

  it('releases a draw even when nothing new was given (Plotly cleared its canvas meanwhile)', () => {
    const { gd, scene, points } = fakePlot();
    holdGl(gd, true);
    scene.draw();
    holdGl(gd, false);
    expect(points.state).toMatchObject({ updates: 0, draws: 1 });
  });

  it('follows the number of traces of the last call, as regl-scatter2d does', () => {
    const { gd, scene, points } = fakePlot();
    const reference = fakeScatter();
    holdGl(gd, true);
    for (const u of [reference.render.update, scene.scatter2d.update]) {
      u([{ color: 'a' }, { color: 'b' }]);
      u([{ size: 2 }]);
      u([undefined, null]);
    }
    holdGl(gd, false);
    expect(points.state.groups).toEqual(reference.state.groups);
    expect(points.state.groups).toHaveLength(2);
  });

  it('wraps a scene\'s instances made after the hold began (a lasso\'s selected points) once they are seen', () => {
    const { gd, scene, selected } = fakePlot();
    holdGl(gd, true);
    scene.select2d = selected.render;
    scene.select2d.update([{ color: 'first' }]); // Plotly's first call on a new instance goes through
    holdGl(gd, true); // after Plotly's draw
    scene.select2d.update([{ color: 'held' }]);
    expect(selected.state).toMatchObject({ updates: 1, groups: [{ color: 'first' }] });
    gd.__flushGl(); // what tests use to read Plotly's canvas: applied, and still held
    expect(selected.state).toMatchObject({ updates: 2, groups: [{ color: 'held' }] });
    scene.select2d.update([{ color: 'again' }]);
    expect(selected.state.updates).toBe(2);
  });

  it('leaves alone what has not the shape it expects', () => {
    const gd: any = { _fullLayout: { _plots: { xy: { _scene: { scatter2d: true, draw: () => undefined } } } } };
    expect(() => holdGl(gd, true)).not.toThrow();
    expect(gd._fullLayout._plots.xy._scene.scatter2d).toBe(true);
    const bare: any = {};
    expect(() => holdGl(bare, true)).not.toThrow();
  });
});
