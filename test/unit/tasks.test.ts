/**
 * Background redraws (src/lib/tasks.ts): one per task, in the order asked, each starting no sooner after the last one
 * ended than that one took.
 */
import { describe, expect, it } from 'vitest';
import { nextTask, oneTaskEach } from '../../src/lib/tasks.ts';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('oneTaskEach', () => {
  it('runs queued draws in order, each in a task of its own, paced by the last one\'s cost', async () => {
    const log: string[] = [];
    const spans: { start: number; end: number }[] = [];
    const draw = (name: string, ms: number) => async () => {
      const start = performance.now();
      log.push(name);
      // a task queued now runs before the next draw if, and only if, the next draw is in a later task
      nextTask(() => log.push(`between ${name}`));
      busy(ms);
      spans.push({ start, end: performance.now() });
      return name;
    };
    const results = await Promise.all([oneTaskEach(draw('a', 20)), oneTaskEach(draw('b', 10)), oneTaskEach(draw('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log.slice(0, 5)).toEqual(['a', 'between a', 'b', 'between b', 'c']);
    // b waited as long as a took (20 ms) after a ended; c as long as b took
    expect(spans[1].start - spans[0].end).toBeGreaterThanOrEqual(spans[0].end - spans[0].start - 2);
    expect(spans[2].start - spans[1].end).toBeGreaterThanOrEqual(spans[1].end - spans[1].start - 2);
  });

  it('a failing draw rejects its own promise only; the next still runs', async () => {
    const failed = oneTaskEach(async () => {
      throw new Error('plot gone');
    });
    const next = oneTaskEach(async () => 'drawn');
    await expect(failed).rejects.toThrow('plot gone');
    await expect(next).resolves.toBe('drawn');
  });
});
