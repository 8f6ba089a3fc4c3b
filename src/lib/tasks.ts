/**
 * Work split into tasks of its own, so that input and frames come between: `nextTask` runs a function soon in a new
 * task; `oneTaskEach` runs background redraws one per task, in order, paced.
 */

let taskPort: MessagePort | null = null;
const taskQueue: (() => void)[] = [];

/** Runs `f` in a task of its own, soon (a message to itself: no timer clamping). */
export function nextTask(f: () => void): void {
  if (!taskPort) {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => taskQueue.shift()?.();
    taskPort = ch.port2;
  }
  taskQueue.push(f);
  taskPort.postMessage(0);
}

let tail: Promise<unknown> = Promise.resolve();
/** When the last queued draw ended and what it took (ms). */
let lastEnd = 0;
let lastCost = 0;

/**
 * Runs `draw` in a task of its own once the draws queued before it have finished, and no sooner after the last one
 * than it took: together the background figures take at most half of the main thread. Figures fed in the background
 * often change together (the k-sweep's small figures, when a point arrives); their full redraws, each short, would
 * otherwise run back to back as one task as long as their sum.
 */
export function oneTaskEach<T>(draw: () => Promise<T>): Promise<T> {
  const turn = () =>
    new Promise<void>((resolve) => {
      const wait = lastEnd + lastCost - performance.now();
      if (wait > 1) setTimeout(() => nextTask(resolve), wait);
      else nextTask(resolve);
    });
  const run = tail.then(turn).then(async () => {
    const t0 = performance.now();
    try {
      return await draw();
    } finally {
      lastEnd = performance.now();
      lastCost = lastEnd - t0;
    }
  });
  tail = run.catch(() => undefined);
  return run;
}
