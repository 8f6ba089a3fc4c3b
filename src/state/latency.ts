/**
 * Input-to-commit latency of slider-driven recolours: the slider marks the input event, the plot measures
 * `recolour` when the new colours are committed. The end-to-end benchmark reads the measures.
 */
const pending = new Map<string, number>();

export function markInput(channel: string): void {
  pending.set(channel, performance.now());
}

/** Called when a plot committed new colours; records performance.measure('recolour') from the newest input (older ones were superseded and never drawn). */
export function measureCommit(channel: string): void {
  const start = pending.get(channel);
  if (start === undefined) return;
  pending.delete(channel);
  performance.measure('recolour', { start, end: performance.now(), detail: { channel } });
}
