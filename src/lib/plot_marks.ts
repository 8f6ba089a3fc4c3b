/**
 * Vertical dotted lines over a drawn Plotly figure at a data x on some of its x axes (the current k on the k-sweep's
 * small plots): elements placed over the plot element, without a Plotly call.
 */

export interface Marks {
  /** Data x on each axis. */
  x: number;
  /** Plotly's x axis ids: 'x', 'x2', ... (each mark spans the plot height of the axis' anchor y axis). */
  axes: string[];
}

/**
 * Places `marks` over the plot element `gd` (hidden where x lies outside an axis' range, all hidden for null), reusing
 * and adding elements to `els` (class `plot-mark`, app.css).
 */
export function placeMarks(gd: HTMLElement, els: HTMLElement[], marks: Marks | null): void {
  const fl = (gd as any)._fullLayout;
  const want = marks && fl ? marks.axes : [];
  while (els.length < want.length) {
    const d = document.createElement('div');
    d.className = 'plot-mark';
    d.setAttribute('aria-hidden', 'true');
    gd.appendChild(d);
    els.push(d);
  }
  els.forEach((d, i) => {
    const id = want[i];
    const xa = id ? fl[`xaxis${id.slice(1)}`] : null;
    const ya = xa ? fl[`yaxis${String(xa.anchor).slice(1)}`] : null;
    const [r0, r1] = xa?.range?.map(Number) ?? [NaN, NaN];
    const px = xa ? xa._offset + ((marks!.x - r0) / (r1 - r0)) * xa._length : NaN;
    if (!ya || !(px >= xa._offset && px <= xa._offset + xa._length)) {
      d.style.display = 'none';
      return;
    }
    Object.assign(d.style, { display: '', left: `${px}px`, top: `${ya._offset}px`, height: `${ya._length}px` });
    d.dataset.x = String(marks!.x);
  });
}
