/**
 * A latest-wins channel to one worker. At most one job is in flight; a newer request replaces the pending
 * one (the replaced request resolves as stale) and an answer that is no longer the newest is dropped,
 * so a fast drag never shows an old frame. A job stuck in long work whose result is no longer wanted
 * (a different `heavy` key, e.g. another linkage's tree) is ended by terminating and recreating the worker. (Chromium
 * lets a terminated worker's script run on until it returns to its event loop, or for 2 s: long engine work that is
 * often cancelled runs in steps that return there, workers/engine/util/steps.ts.)
 */
import * as Comlink from 'comlink';

/** The worker-side service as the main thread sees it: every method answers a promise (arguments are structured-cloned). */
export type Api<S> = { [K in keyof S]: S[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never };

export type Answer<T> = { stale: false; value: T } | { stale: true };
const STALE = { stale: true } as const;

interface Request<S> {
  seq: number;
  heavy: string;
  /** Work nobody waits for (a slider's lookahead): any other job may be asked for while it runs. */
  background: boolean;
  task: (api: Api<S>) => Promise<unknown>;
  resolve: (a: Answer<any>) => void;
  reject: (e: unknown) => void;
}

export interface ChannelOptions<S> {
  name: string;
  create: () => Worker;
  /** Called with every new worker (first start and after a restart): re-send the data it must hold. */
  init?: (api: Api<S>) => Promise<void>;
  /** How long a superseded heavy job may still run before its worker is terminated. */
  graceMs?: number;
}

export class WorkerChannel<S> {
  private worker: Worker | null = null;
  private api: Api<S> | null = null;
  private ready: Promise<void> | null = null;
  private seq = 0;
  private inflight: (Request<S> & { abort: () => void }) | null = null;
  private pending: Request<S> | null = null;
  private killTimer: ReturnType<typeof setTimeout> | null = null;
  /** Number of worker restarts (for tests and diagnostics). */
  restarts = 0;

  constructor(private readonly opts: ChannelOptions<S>) {}

  private ensure(): Promise<void> {
    if (!this.worker) {
      this.worker = this.opts.create();
      this.api = Comlink.wrap<S>(this.worker) as unknown as Api<S>;
      const api = this.api;
      this.ready = this.opts.init ? this.opts.init(api) : Promise.resolve();
    }
    return this.ready!;
  }

  /** Starts the worker now (its module loads while other work goes on), so that the first job does not wait for it. */
  warm(): void {
    void this.ensure();
  }

  /** Forgets the worker's state on the next job (e.g. when the data changed) by re-running init. */
  async reinit(): Promise<void> {
    if (this.worker && this.api && this.opts.init) {
      this.ready = this.opts.init(this.api);
      await this.ready;
    }
  }

  /**
   * Runs task on the worker, latest wins. `heavy` names the expensive state the task needs
   * (a tree, an index): a running job with the same heavy key is left to finish, since the new one needs its work.
   */
  run<T>(task: (api: Api<S>) => Promise<T>, heavy = '', background = false): Promise<Answer<T>> {
    return new Promise<Answer<T>>((resolve, reject) => {
      const seq = ++this.seq;
      if (this.pending) this.pending.resolve(STALE);
      this.pending = { seq, heavy, background, task, resolve, reject };
      const inflight = this.inflight;
      if (!inflight) {
        void this.pump();
      } else if (inflight.heavy !== heavy && this.killTimer === null) {
        this.killTimer = setTimeout(() => {
          this.killTimer = null;
          if (this.inflight === inflight && this.pending) this.restart();
        }, this.opts.graceMs ?? 250);
      }
    });
  }

  /** Cancels the running job (terminating the worker) and the pending one. */
  cancel(): void {
    if (this.pending) {
      this.pending.resolve(STALE);
      this.pending = null;
    }
    if (this.inflight) this.restart();
  }

  get busy(): boolean {
    return this.inflight !== null || this.pending !== null;
  }

  /**
   * Calls the worker now, beside the job it runs (not queued, no answer awaited): for signals such as a pause that the
   * running job reads at its next yield. Nothing happens when no worker is running.
   */
  signal(call: (api: Api<S>) => Promise<unknown>): void {
    if (this.worker && this.api && this.inflight) void call(this.api).catch(() => undefined);
  }

  /**
   * Calls the worker now, beside its queue, and answers what it answers (a job running there is neither replaced nor
   * awaited; the call runs when the worker's event loop is free); null when no worker has been started.
   */
  call<T>(fn: (api: Api<S>) => Promise<T>): Promise<T> | null {
    return this.worker && this.api ? fn(this.api) : null;
  }

  /** Busy with a job someone waits for (not only background work). */
  get busyForeground(): boolean {
    return (this.inflight !== null && !this.inflight.background) || (this.pending !== null && !this.pending.background);
  }

  private restart(): void {
    this.restarts++;
    const inflight = this.inflight;
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.ready = null;
    inflight?.abort();
  }

  private async pump(): Promise<void> {
    while (this.pending) {
      const req = this.pending;
      this.pending = null;
      let aborted = false;
      let abort!: () => void;
      const abortP = new Promise<void>((res) => {
        abort = () => {
          aborted = true;
          res();
        };
      });
      this.inflight = { ...req, abort };
      try {
        await Promise.race([this.ensure(), abortP]);
        const value = aborted ? undefined : await Promise.race([req.task(this.api!), abortP]);
        if (aborted || req.seq !== this.seq) req.resolve(STALE);
        else req.resolve({ stale: false, value });
      } catch (e) {
        if (aborted || req.seq !== this.seq) req.resolve(STALE);
        else req.reject(e);
      } finally {
        this.inflight = null;
        if (this.killTimer) {
          clearTimeout(this.killTimer);
          this.killTimer = null;
        }
      }
    }
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = null;
  }
}

export { Comlink };
