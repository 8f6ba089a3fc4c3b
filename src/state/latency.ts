/**
 * Input-to-commit latency of slider-driven recolours: a slider marks its input event, each plot measures `recolour`
 * (performance.measure, detail = the plot's channel) when it has committed the new colours. A plot recoloured because
 * of another pane's input (colours matched to pane 1) measures from that input.
 */
const pending = new Map<string, number>();
let lastInput: number | null = null;
const answered = new Map<string, number>();

export function markInput(channel: string): void {
  const t = performance.now();
  pending.set(channel, t);
  lastInput = t;
}

/** Records performance.measure('recolour') from the newest input not yet answered by this plot. */
export function measureCommit(channel: string): void {
  let start = pending.get(channel);
  if (start !== undefined) pending.delete(channel);
  else if (lastInput !== null && answered.get(channel) !== lastInput) start = lastInput;
  if (start === undefined) return;
  answered.set(channel, lastInput ?? start);
  performance.measure('recolour', { start, end: performance.now(), detail: { channel } });
}
