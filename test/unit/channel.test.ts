/**
 * The latest-wins channel: a newer request supersedes older ones, stale answers are dropped, a heavy job that is no
 * longer wanted is ended by recreating its worker. Workers are stood in for by MessageChannel ports (same comlink protocol).
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { WorkerChannel } from '../../src/jobs/channel.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class FakeService {
  calls: number[] = [];
  async work(v: number, ms: number): Promise<number> {
    this.calls.push(v);
    await sleep(ms);
    return v * 10;
  }
}

function fakeWorkerFactory(created: FakeService[]) {
  return () => {
    const svc = new FakeService();
    created.push(svc);
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(svc, port2 as any);
    return Object.assign(port1, {
      terminate() {
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
}

describe('WorkerChannel (latest wins)', () => {
  it('answers a lone job', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    expect(await ch.run((api) => api.work(3, 1))).toEqual({ stale: false, value: 30 });
    ch.dispose();
  });

  it('coalesces a burst: only the newest runs after the one in flight, and only the newest is answered', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    const a = ch.run((api) => api.work(1, 30));
    await sleep(5);
    const b = ch.run((api) => api.work(2, 1));
    const c = ch.run((api) => api.work(3, 1));
    const d = ch.run((api) => api.work(4, 1));
    expect(await a).toEqual({ stale: true }); // finished, but newer requests exist: dropped
    expect(await b).toEqual({ stale: true }); // replaced before it ran
    expect(await c).toEqual({ stale: true });
    expect(await d).toEqual({ stale: false, value: 40 });
    expect(created[0].calls).toEqual([1, 4]); // 2 and 3 never reached the worker
    expect(ch.restarts).toBe(0);
    ch.dispose();
  });

  it('lets a job sharing the heavy key finish, but ends one whose heavy work is no longer wanted', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created), graceMs: 20 });
    const same1 = ch.run((api) => api.work(1, 60), 'tree-A');
    await sleep(5);
    const same2 = ch.run((api) => api.work(2, 1), 'tree-A');
    expect(await same1).toEqual({ stale: true });
    expect(await same2).toEqual({ stale: false, value: 20 });
    expect(ch.restarts).toBe(0);

    const long = ch.run((api) => api.work(5, 5000), 'tree-B');
    await sleep(5);
    const t0 = Date.now();
    const other = ch.run((api) => api.work(6, 1), 'tree-C');
    expect(await long).toEqual({ stale: true });
    expect(await other).toEqual({ stale: false, value: 60 });
    expect(Date.now() - t0).toBeLessThan(1000); // did not wait for the 5 s job
    expect(ch.restarts).toBe(1);
    expect(created.length).toBe(2);
    ch.dispose();
  });

  it('cancel() ends the running job', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    const long = ch.run((api) => api.work(1, 5000));
    await sleep(5);
    ch.cancel();
    expect(await long).toEqual({ stale: true });
    expect(ch.busy).toBe(false);
    expect(await ch.run((api) => api.work(2, 1))).toEqual({ stale: false, value: 20 });
    ch.dispose();
  });

  it('background work leaves the channel free for foreground asks, and a foreground job replaces a queued one', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    const bg = ch.run((api) => api.work(1, 30), 'h', true);
    await sleep(5);
    expect(ch.busy).toBe(true);
    expect(ch.busyForeground).toBe(false);
    const queuedBg = ch.run((api) => api.work(2, 1), 'h', true);
    const fg = ch.run((api) => api.work(3, 1), 'h');
    expect(ch.busyForeground).toBe(true);
    expect(await queuedBg).toEqual({ stale: true }); // replaced before it ran
    expect(await bg).toEqual({ stale: true }); // a newer request exists
    expect(await fg).toEqual({ stale: false, value: 30 });
    expect(created[0].calls).toEqual([1, 3]);
    expect(ch.restarts).toBe(0);
    ch.dispose();
  });

  it('signal() reaches the running job\'s worker at once, beside the queue', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    ch.signal((api) => api.work(9, 0)); // no worker yet: nothing happens
    const long = ch.run((api) => api.work(1, 80));
    await sleep(10);
    ch.signal((api) => api.work(7, 0));
    await sleep(20);
    expect(created[0].calls).toEqual([1, 7]); // while job 1 still runs
    expect(await long).toEqual({ stale: false, value: 10 });
    ch.dispose();
  });

  it('call() answers beside the queue without replacing the running job, and is null before a worker exists', async () => {
    const created: FakeService[] = [];
    const ch = new WorkerChannel<FakeService>({ name: 't', create: fakeWorkerFactory(created) });
    expect(ch.call((api) => api.work(9, 0))).toBeNull();
    const long = ch.run((api) => api.work(1, 60));
    await sleep(10);
    expect(await ch.call((api) => api.work(4, 0))).toBe(40); // answered while job 1 still runs
    expect(created[0].calls).toEqual([1, 4]);
    expect(await long).toEqual({ stale: false, value: 10 }); // not superseded
    ch.dispose();
  });
});
