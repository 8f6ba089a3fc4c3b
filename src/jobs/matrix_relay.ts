/**
 * Copies of the prepared matrix for the workers that need it (cluster, metrics, sweeps, embedding, segments, explore).
 * The main thread keeps its own arrays (hover values, the two-feature view, re-seeding a recreated worker), so every
 * worker gets a copy. Small data is copied here; for large data (RELAY_MIN_VALUES) the data worker, which keeps the
 * matrix it prepared, makes the copies and transfers them: at 100,000 x 17 a copy made here would cost the main
 * thread ~100 ms (13.6 MB allocated and copied) for each of up to ten workers. A transfer moves no bytes, so this
 * thread only passes the copy on.
 */
import { dataChannel } from './client.ts';
import { RELAY_MIN_VALUES, type MatrixPart, type PreparedInfo } from './protocol.ts';

/**
 * How long to wait for the data worker before copying here after all. Copies asked for together queue there (≈ 0.1 s
 * each at 100,000 x 17); a data worker busy with a new preparation answers null when it is done (the key changed);
 * this is only for a worker that was ended meanwhile.
 */
const RELAY_WAIT_MS = 5000;

export type MatrixCopies = Partial<Record<MatrixPart, Float64Array>>;

/** Where the copies were made, and how often large data had to be copied here after all (for tests and the console). */
export const relayCounts = { data_worker: 0, main_thread: 0, fallback: 0 };

/** Fresh copies of the prepared matrix's arrays, for transfer to a worker. */
export async function matrixCopies(p: PreparedInfo, parts: MatrixPart[]): Promise<MatrixCopies> {
  if (p.X.length >= RELAY_MIN_VALUES) {
    const call = dataChannel.call((api) => api.matrixCopies(p.key, parts));
    if (call) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), RELAY_WAIT_MS)));
      const got = await Promise.race([call.catch(() => null), timeout]);
      clearTimeout(timer);
      if (got && parts.every((part) => got[part]?.length === p[part].length)) {
        relayCounts.data_worker++;
        return got;
      }
    }
  }
  relayCounts.main_thread++;
  if (p.X.length >= RELAY_MIN_VALUES) relayCounts.fallback++;
  const out: MatrixCopies = {};
  for (const part of parts) out[part] = p[part].slice();
  return out;
}

/** The buffers of copies, to transfer them on. */
export function transferList(c: MatrixCopies): Transferable[] {
  return Object.values(c).map((a) => a.buffer as ArrayBuffer);
}
