/**
 * The session in the URL and in local storage: a shareable link restores the built-in data set, the preprocessing,
 * every pane's algorithm and parameters and the embedding; a reload returns to where the user was. The state is a
 * configuration file (validated by the same rules as an imported one) plus the built-in data set's id. Uploaded data
 * is not stored (it never leaves the browser's memory): its parameters are, and apply to whatever data is loaded.
 */
import { ConfigError, validateConfig, type ClusterTuneConfig } from '../../workers/engine/config/config.ts';
import { specSection } from '../../workers/engine/config/spec.ts';
import type { Session } from './session.svelte.ts';

export const STORAGE_KEY = 'clustertune.state.v1';
const HASH_PREFIX = '#state=';

export interface SavedState {
  /** Built-in data set id, or null for an uploaded file. */
  builtin: string | null;
  config: ClusterTuneConfig;
}

/** The session's state as a configuration (no fingerprint, fitted values or results: they are recomputed). */
export function savedStateOf(session: Session): SavedState | null {
  const { table, spec } = session.dataset;
  if (!table || !spec) return null;
  const config: ClusterTuneConfig = {
    format: 'clustertune-config',
    version: 1,
    preprocessing: specSection(spec),
    estimators: session.panes.map((p) => ({ name: p.estimator.name, params: p.estimator.params })),
    embedding: session.view.embeddingConfig(),
  };
  return { builtin: table.builtin_id, config };
}

export function encodeState(s: SavedState): string {
  return HASH_PREFIX + encodeURIComponent(JSON.stringify({ builtin: s.builtin, config: s.config }));
}

/** Reads a saved state from a URL hash or stored text; null when there is none; ConfigError when it is invalid. */
export function decodeState(text: string | null | undefined): SavedState | null {
  if (!text) return null;
  const raw = text.startsWith(HASH_PREFIX) ? decodeURIComponent(text.slice(HASH_PREFIX.length)) : text.startsWith('#') ? null : text;
  if (raw === null) return null;
  let v: any;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConfigError('file', 'the saved state is not valid JSON');
  }
  if (!v || typeof v !== 'object') throw new ConfigError('file', 'the saved state is not an object');
  if (v.builtin !== null && typeof v.builtin !== 'string') throw new ConfigError('builtin', 'builtin must be a data set id or null');
  return { builtin: v.builtin, config: validateConfig(v.config) };
}

/** The state to start from: the link's first, else the last session's (local storage). */
export function initialState(): { state: SavedState | null; error: string | null } {
  for (const source of [location.hash, safeStorage()?.getItem(STORAGE_KEY)]) {
    try {
      const s = decodeState(source);
      if (s) return { state: s, error: null };
    } catch (e) {
      return { state: null, error: `the saved state could not be restored: ${(e as Error).message}` };
    }
  }
  return { state: null, error: null };
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Keeps the URL and local storage in step with the session (debounced). Returns the stop function. */
export function startPersistence(session: Session, delayMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return $effect.root(() => {
    $effect(() => {
      if (!session.dataset.prepared) return;
      const s = savedStateOf(session);
      if (!s) return;
      const encoded = encodeState(s);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        if (location.hash !== encoded) history.replaceState(history.state, '', encoded);
        try {
          safeStorage()?.setItem(STORAGE_KEY, encoded);
        } catch {
          // storage full or disabled: the URL still holds the state
        }
      }, delayMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
    };
  });
}
