/**
 * The main thread's handles on the segments workers: one latest-wins channel per kind of job (profiles, tree,
 * silhouette, scoring), so that a new customer scored does not cancel the tree, and a heavy silhouette never delays
 * the profile. Each worker gets the prepared matrix once per data set (keyed).
 */
import { Comlink, WorkerChannel, type Answer, type Api } from './channel.ts';
import { matrixCopies, transferList } from './matrix_relay.ts';
import type { Outcome, PreparedInfo, ClusterAnswer } from './protocol.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { TreeParams } from '../../workers/engine/segments/cart.ts';
import type { SilhouetteGroups } from '../../workers/engine/segments/silhouette_groups.ts';
import type { BatchAnswer, ProfileAnswer, ScoreAnswer, ScoringFit, SegmentsService, TreeAnswer } from '../../workers/services/segments_service.ts';

function segmentsWorker(): Worker {
  return new Worker(new URL('../../workers/segments.worker.ts', import.meta.url), { type: 'module', name: 'segments' });
}

type Kind = 'profile' | 'tree' | 'silhouette' | 'score';
const channels = new Map<Kind, WorkerChannel<SegmentsService>>();
function channel(kind: Kind): WorkerChannel<SegmentsService> {
  let ch = channels.get(kind);
  if (!ch) {
    ch = new WorkerChannel<SegmentsService>({ name: `segments:${kind}`, create: segmentsWorker, graceMs: kind === 'silhouette' ? 100 : 300 });
    channels.set(kind, ch);
  }
  return ch;
}

async function ensureData(api: Api<SegmentsService>, p: PreparedInfo): Promise<void> {
  if (await api.hasData(p.key)) return;
  const c = await matrixCopies(p, ['X', 'raw']);
  const d = { key: p.key, X: c.X!, raw: c.raw!, n_samples: p.n_samples, n_features: p.n_features, features: p.fitted.columns, fitted: p.fitted };
  await api.setData(Comlink.transfer(d, transferList(c)));
}

export function profileJob(p: PreparedInfo, labels: Int32Array): Promise<Answer<Outcome<ProfileAnswer>>> {
  return channel('profile').run(async (api) => {
    await ensureData(api, p);
    return api.profile(p.key, labels);
  });
}

export function treeJob(p: PreparedInfo, labels: Int32Array, params: TreeParams): Promise<Answer<Outcome<TreeAnswer>>> {
  return channel('tree').run(async (api) => {
    await ensureData(api, p);
    return api.tree(p.key, labels, params, 5, 0);
  });
}

/** The silhouette of a new labelling ends the previous one's (seconds of work at 9000 rows) by restarting the worker. */
export function silhouetteJob(p: PreparedInfo, labels: Int32Array, labelsId: string): Promise<Answer<Outcome<SilhouetteGroups>>> {
  return channel('silhouette').run(async (api) => {
    await ensureData(api, p);
    return api.silhouette(p.key, labels);
  }, labelsId);
}

const resultIds = new WeakMap<ClusterAnswer, string>();
let nextId = 0;
/** A stable id per result object (the worker caches the scoring model by it). */
export function resultId(r: ClusterAnswer): string {
  let id = resultIds.get(r);
  if (!id) {
    id = `r${++nextId}`;
    resultIds.set(r, id);
  }
  return id;
}

function fitOf(estimator: EstimatorConfig, r: ClusterAnswer): ScoringFit {
  return { id: resultId(r), estimator, labels: r.labels, model: r.model };
}

export function scoreJob(p: PreparedInfo, estimator: EstimatorConfig, r: ClusterAnswer, rows: Float64Array, n_rows: number): Promise<Answer<Outcome<ScoreAnswer>>> {
  return channel('score').run(async (api) => {
    await ensureData(api, p);
    return api.score(p.key, fitOf(estimator, r), rows, n_rows);
  });
}

/** Scores customers given as the model's input columns (text cells; derived columns and one-hot done in the worker). */
export function scoreInputJob(p: PreparedInfo, estimator: EstimatorConfig, r: ClusterAnswer, cells: string[][]): Promise<Answer<Outcome<ScoreAnswer>>> {
  return channel('score').run(async (api) => {
    await ensureData(api, p);
    return api.scoreInput(p.key, fitOf(estimator, r), cells);
  });
}

export function scoreCsvJob(
  p: PreparedInfo,
  estimator: EstimatorConfig,
  r: ClusterAnswer,
  text: string,
  name: string,
  names: Record<number, string>,
): Promise<Answer<Outcome<BatchAnswer>>> {
  return channel('score').run(async (api) => {
    await ensureData(api, p);
    return api.scoreCsv(p.key, fitOf(estimator, r), text, name, names);
  });
}

export function segmentChannelRestarts(): Record<string, number> {
  return Object.fromEntries([...channels].map(([k, ch]) => [k, ch.restarts]));
}
