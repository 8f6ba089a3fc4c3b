/**
 * Long computations written as generators that yield between blocks of work (a silhouette's row blocks …), so that a
 * worker can return to its event loop in the middle of them. That matters in Chromium: Worker.terminate() does not
 * stop a worker that is running JavaScript until that script returns to the event loop, or for 2 seconds
 * (scripts/worker_terminate.ts measures it); a cancelled job that never yields burns a core on until it ends. Run to the end
 * at once with runSteps (Node, the CLI, tests: the same result, the same operations in the same order).
 */

export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end, without yielding. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** How long a worker runs steps before it returns to its event loop (ms). */
export const SLICE_MS = 20;

/**
 * Runs the steps, returning to the event loop at the first step after every `sliceMs` of work; `between` (awaited
 * there) may throw to end them (a cancelled sweep) or wait (a paused one).
 */
export async function driveSteps<T>(steps: Steps<T>, opts: { sliceMs?: number; between?: () => Promise<void> } = {}): Promise<T> {
  const slice = opts.sliceMs ?? SLICE_MS;
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start >= slice) {
      await (opts.between ?? nextTask)();
      start = performance.now();
    }
  }
}

/** A macrotask later (a MessageChannel message: setTimeout(0) is clamped to 4 ms once nested). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
