/**
 * The main thread's handle on the embed worker: one latest-wins channel. A running embedding streams frames through
 * a comlink-proxied callback; a newer request first asks the running loop to stop (it ends at its next batch and
 * stays resumable in the worker), then takes its place. Every call answers Outcome<T> (or stale, when superseded).
 */
import { Comlink, WorkerChannel, type Answer, type Api } from './channel.ts';
import type { EmbedService } from '../../workers/services/embed_service.ts';
import type { EmbedAnswer, EmbedFrame, EmbedJob } from './embed_protocol.ts';
import type { Outcome, PreparedInfo } from './protocol.ts';
import { matrixCopies } from './matrix_relay.ts';
import type { Progress } from '../../workers/engine/types.ts';

function embedWorker(): Worker {
  return new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' });
}

const channel = new WorkerChannel<EmbedService>({ name: 'embed', create: embedWorker, graceMs: 300 });
/** The worker API while a job runs on it (a stop message must not queue behind the job it stops). */
let live: Api<EmbedService> | null = null;

async function ensureData(api: Api<EmbedService>, p: PreparedInfo): Promise<void> {
  if (await api.hasData(p.key)) return;
  const { X } = await matrixCopies(p, ['X']);
  await api.setData(p.key, Comlink.transfer(X!, [X!.buffer]), p.n_samples, p.n_features);
}

/** Runs (or resumes, or answers from the worker's cache) an embedding; frames arrive through onFrame while it runs. */
export function runEmbedding(
  prepared: PreparedInfo,
  job: EmbedJob,
  onFrame: (f: EmbedFrame) => void,
  onProgress: (p: Progress) => void,
): Promise<Answer<Outcome<EmbedAnswer>>> {
  void live?.stop();
  return channel.run(async (api) => {
    live = api;
    try {
      await ensureData(api, prepared);
      return await api.run(job, Comlink.proxy(onFrame), Comlink.proxy(onProgress));
    } finally {
      if (live === api) live = null;
    }
  }, `embed|${prepared.key}`);
}

/** Asks the running embedding to stop at its next batch; its answer (stopped, with the layout so far) follows. */
export function stopEmbedding(): void {
  void live?.stop();
}

/** Ends the worker (an embedding still computing its neighbours and affinities cannot hear stop). */
export function cancelEmbedding(): void {
  live = null;
  channel.cancel();
}

/** How often the embed worker was recreated (for tests and diagnostics). */
export function embedRestarts(): number {
  return channel.restarts;
}
