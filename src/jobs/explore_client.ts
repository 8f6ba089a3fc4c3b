/**
 * The main thread's handles on the explore workers: one latest-wins channel (and worker) for the correlation matrix
 * and one for the distributions, so that a Spearman toggle never cancels the box plots. Each worker gets the prepared
 * matrix once per data set (keyed).
 */
import { Comlink, WorkerChannel, type Answer, type Api } from './channel.ts';
import { matrixCopies, transferList } from './matrix_relay.ts';
import type { Outcome, PreparedInfo } from './protocol.ts';
import type { CorrelationMethod } from '../../workers/engine/data/explore.ts';
import type { CorrelationAnswer, CorrelationSpace, DistributionsAnswer, ExploreService } from '../../workers/services/explore_service.ts';

function exploreWorker(): Worker {
  return new Worker(new URL('../../workers/explore.worker.ts', import.meta.url), { type: 'module', name: 'explore' });
}

type Kind = 'correlation' | 'distributions';
const channels = new Map<Kind, WorkerChannel<ExploreService>>();
function channel(kind: Kind): WorkerChannel<ExploreService> {
  let ch = channels.get(kind);
  if (!ch) {
    ch = new WorkerChannel<ExploreService>({ name: `explore:${kind}`, create: exploreWorker });
    channels.set(kind, ch);
  }
  return ch;
}

async function ensureData(api: Api<ExploreService>, p: PreparedInfo): Promise<void> {
  if (await api.hasData(p.key)) return;
  const c = await matrixCopies(p, ['X', 'raw']);
  const d = { key: p.key, X: c.X!, raw: c.raw!, n_samples: p.n_samples, n_features: p.n_features, features: p.fitted.columns };
  await api.setData(Comlink.transfer(d, transferList(c)));
}

export function correlationJob(p: PreparedInfo, method: CorrelationMethod, space: CorrelationSpace): Promise<Answer<Outcome<CorrelationAnswer>>> {
  return channel('correlation').run(async (api) => {
    await ensureData(api, p);
    return api.correlation(p.key, method, space);
  });
}

export function distributionsJob(p: PreparedInfo, labels: Int32Array | null): Promise<Answer<Outcome<DistributionsAnswer>>> {
  return channel('distributions').run(async (api) => {
    await ensureData(api, p);
    return api.distributions(p.key, labels);
  });
}
