/**
 * The configuration file's fingerprint of the prepared data (workers/engine/data/fingerprint.ts), made when a
 * configuration is exported or checked on import, not when data loads. Large data (RELAY_MIN_VALUES): by the data
 * worker, from the copy of the matrix it keeps (its canonical copy of 13.6 MB at 100,000 x 17 would be a long task
 * here); small data, or a data worker that has prepared other data since: here, from the main thread's copy.
 * One per prepared data.
 */
import { dataChannel } from './client.ts';
import { RELAY_MIN_VALUES, type PreparedInfo } from './protocol.ts';
import { fingerprint } from '../../workers/engine/data/fingerprint.ts';

const made = new WeakMap<PreparedInfo, Promise<string>>();

export function preparedFingerprint(p: PreparedInfo): Promise<string> {
  let f = made.get(p);
  if (!f) {
    f = fromDataWorker(p).then((fp) => fp ?? fingerprint({ data: p.raw, n_samples: p.n_samples, n_features: p.n_features }));
    made.set(p, f);
  }
  return f;
}

async function fromDataWorker(p: PreparedInfo): Promise<string | null> {
  if (p.X.length < RELAY_MIN_VALUES) return null;
  const call = dataChannel.call((api) => api.fingerprintOf(p.key));
  return call ? await call.catch(() => null) : null;
}
