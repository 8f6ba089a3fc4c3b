// What the point layer draws, read off a Plotly figure (src/lib/scatter_frames.ts), on figures made up by hand.
import { describe, expect, it } from 'vitest';
import { dragFrame, previewFrame, selectionOf, stillFrame } from '../../src/lib/scatter_frames.ts';
import { plotlyAutorange } from '../../src/lib/motion_layer.ts';

const x = [0, 1, 2, 3];
const y = [3, 2, 1, 0];
const trace = { type: 'scattergl', x, y, marker: { size: 4, opacity: 0.85, color: '#111111' }, unselected: { marker: { opacity: 0.12 } } };
const gdOf = (t: any = trace) => ({
  data: [t],
  _fullLayout: { xaxis: { type: 'linear', range: [-1, 4] }, yaxis: { type: 'linear', range: ['-0.5', '3.5'] } },
});

describe('scatter frames', () => {
  it('draws trace 0 as Plotly holds it: its points, its axis ranges, the plot\'s colours when they fit', () => {
    const f = stillFrame(gdOf(), ['#a', '#b', '#c', '#d'])!;
    expect(f.frame.x).toBe(x);
    expect(f.frame.range).toEqual([[-1, 4], [-0.5, 3.5]]);
    expect(f.colours).toEqual(['#a', '#b', '#c', '#d']);
    expect(f.marker).toEqual({ size: 4, opacity: 0.85 });
    expect(stillFrame(gdOf(), ['#a'])!.colours).toBe('#111111'); // colours of other data: Plotly's own
    // a pan under way: the event's ranges
    expect(stillFrame(gdOf(), null, null, { 'xaxis.range[0]': 0.5, 'xaxis.range[1]': 2.5 })!.frame.range).toEqual([[0.5, 2.5], [-0.5, 3.5]]);
    // nothing the layer can draw: 3-D, log axes
    expect(stillFrame(gdOf({ ...trace, type: 'scatter3d' }), null)).toBeNull();
    const log = gdOf();
    (log._fullLayout.yaxis as any).type = 'log';
    expect(stillFrame(log, null)).toBeNull();
  });

  it('flags a selection (or a lasso under way), with the unselected opacity of the trace', () => {
    const sel = selectionOf({ ...trace, selectedpoints: [1, 3] })!;
    expect(Array.from(sel.selected)).toEqual([0, 1, 0, 1]);
    expect(sel.unselectedOpacity).toBe(0.12);
    expect(Array.from(stillFrame(gdOf(), null, [0])!.selection!.selected)).toEqual([1, 0, 0, 0]);
    expect(selectionOf(trace)).toBeNull();
  });

  it('draws a drag\'s colours only over the points Plotly holds', () => {
    expect(dragFrame(gdOf(), trace, ['#a', '#b', '#c', '#d'])!.colours).toEqual(['#a', '#b', '#c', '#d']);
    expect(dragFrame(gdOf(), { ...trace, x: [0, 1, 2, 3] }, ['#a', '#b', '#c', '#d'])).toBeNull(); // a new figure waits
    expect(dragFrame(gdOf(), trace, '#a')).toBeNull();
  });

  it('previews a new figure in its fixed ranges, else in Plotly\'s autorange, with its axis titles', () => {
    const layout = { xaxis: { title: { text: 'PC 1' } }, yaxis: { title: { text: 'PC 2' }, autorange: false, range: [-9, 9] } };
    const f = previewFrame({ data: [trace], layout }, 400, 300, null)!;
    expect(f.frame.range[0]).toEqual(plotlyAutorange(x, 400, 3));
    expect(f.frame.range[1]).toEqual([-9, 9]);
    expect(f.frame.titles).toEqual(['PC 1', 'PC 2']);
    expect(f.colours).toBe('#9aa3ad'); // grey until colours that fit come
    expect(previewFrame({ data: [{ ...trace, type: 'scatter3d' }], layout }, 400, 300, null)).toBeNull();
  });
});
