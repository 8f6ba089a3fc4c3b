/**
 * The main thread's handle on the sweep worker (one per pane): k-sweeps and eps x min_samples grids run there in
 * the background, latest wins. A newer sweep with another key supersedes the running one (its worker is recreated
 * after a short grace, which ends even a long fit); the caller keeps what already streamed in.
 */
import { Comlink, WorkerChannel, type Answer, type Api } from './channel.ts';
import type { Outcome, PreparedInfo } from './protocol.ts';
import { matrixCopies } from './matrix_relay.ts';
import type { Progress } from '../../workers/engine/types.ts';
import type {
  EpsCell,
  EpsGrid,
  EpsSweepRequest,
  KSweepPoint,
  KSweepRequest,
} from '../../workers/services/sweep_protocol.ts';
import type { SweepService } from '../../workers/services/sweep_service.ts';

function sweepWorker(): Worker {
  return new Worker(new URL('../../workers/sweep.worker.ts', import.meta.url), { type: 'module', name: 'sweep' });
}

const channels = new Map<string, WorkerChannel<SweepService>>();
function sweepChannel(pane: string): WorkerChannel<SweepService> {
  let ch = channels.get(pane);
  if (!ch) {
    ch = new WorkerChannel<SweepService>({ name: `sweep:${pane}`, create: sweepWorker, graceMs: 60 });
    channels.set(pane, ch);
  }
  return ch;
}

async function ensureData(api: Api<SweepService>, p: PreparedInfo): Promise<void> {
  if (await api.hasData(p.key)) return;
  const { X } = await matrixCopies(p, ['X']);
  await api.setData(p.key, Comlink.transfer(X!, [X!.buffer]), p.n_samples, p.n_features);
}

export function runKSweep(
  pane: string,
  prepared: PreparedInfo,
  req: KSweepRequest,
  onPoint: (p: KSweepPoint) => void,
  onProgress: (p: Progress) => void,
  heavy: string,
): Promise<Answer<Outcome<KSweepPoint[]>>> {
  return sweepChannel(pane).run(async (api) => {
    await ensureData(api, prepared);
    return api.kSweep(req, Comlink.proxy(onPoint), Comlink.proxy(onProgress));
  }, heavy);
}

export function runEpsSweep(
  pane: string,
  prepared: PreparedInfo,
  req: EpsSweepRequest,
  onGrid: (g: EpsGrid) => void,
  onCell: (c: EpsCell) => void,
  onProgress: (p: Progress) => void,
  heavy: string,
): Promise<Answer<Outcome<{ grid: EpsGrid; cells: EpsCell[] }>>> {
  return sweepChannel(pane).run(async (api) => {
    await ensureData(api, prepared);
    return api.epsSweep(req, Comlink.proxy(onGrid), Comlink.proxy(onCell), Comlink.proxy(onProgress));
  }, heavy);
}

const lastPause = new Map<string, number>();

/**
 * Holds the pane's running sweep at its next point for `ms` (a lease the sweep worker lets lapse by itself); renewed
 * at most every 100 ms, so a drag costs a message now and then.
 */
export function pauseSweep(pane: string, ms: number): void {
  const now = performance.now();
  if (now - (lastPause.get(pane) ?? -Infinity) < 100) return;
  lastPause.set(pane, now);
  channels.get(pane)?.signal((api) => api.pause(ms));
}

/** Ends the pane's running sweep (its worker is recreated) and drops a queued one. */
export function cancelSweep(pane: string): void {
  channels.get(pane)?.cancel();
}

export function sweepRestarts(pane: string): number {
  return channels.get(pane)?.restarts ?? 0;
}
