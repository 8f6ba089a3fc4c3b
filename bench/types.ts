/**
 * A benchmark case. `id` is shared with the scikit-learn script of the same group (bench/sklearn/<group>.py
 * prints {"<id>": [seconds, ...]}), so `npm run bench` can print ratios measured in one run.
 * `impl` is 'ours' or the name of the baseline library ('ml-kmeans', 'density-clustering', …).
 */
export interface BenchCase {
  group: string;
  id: string;
  impl: string;
  /** How many timed runs (the median is reported). Default 5. */
  repeats?: number;
  /** Skip with this reason (e.g. the baseline would take hours at this size). */
  skip?: string;
  /** Runs once before timing, not timed. Its result is handed to run. */
  setup?: () => unknown | Promise<unknown>;
  run: (state: any) => unknown | Promise<unknown>;
}
