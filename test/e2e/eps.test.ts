/**
 * The first user story: drag eps and watch the clusters change. DBSCAN on the demo data; every slider value is a
 * re-cut of a cached index, answered while the slider moves; the number of clusters and the colours follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, openApp, waitForClusters, markerColours, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('drag eps', () => {
  it('changes the number of clusters, the noise and the colours while the slider moves', async () => {
    const page = await openApp(app);
    await page.getByLabel('algorithm').first().selectOption('DBSCAN');
    await waitForClusters(page);
    const seen = new Map<string, string>();
    const slider = page.getByLabel('eps', { exact: true });
    // The slider's range comes from the k-distance curve; once it is there the slider is not re-created.
    await expect.poll(() => slider.getAttribute('max'), { timeout: 30_000 }).not.toBe('5');
    await page.waitForTimeout(200);
    const box = (await slider.boundingBox())!;
    expect(box, 'eps slider on screen').not.toBeNull();
    // A real drag: press, move across the track in small steps, release.
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i <= 30; i++) {
      await page.mouse.move(box.x + 4 + ((box.width - 8) * i) / 30, box.y + box.height / 2, { steps: 2 });
      await page.waitForTimeout(40);
      const n = await page.locator('[data-metric="n_clusters"]').first().textContent();
      const noise = await page.locator('[data-metric="n_noise"]').first().textContent();
      seen.set(`${n}|${noise}`, String(await page.getByLabel('eps value').inputValue()));
    }
    await page.mouse.up();
    await waitForClusters(page);
    // Many different (clusters, noise) states were shown during one drag, before the mouse was released.
    expect(seen.size).toBeGreaterThan(5);
    const colours = await markerColours(page);
    expect(colours.length).toBe(8950);
    // At the largest eps almost everything is one cluster: few noise points.
    const noise = Number((await page.locator('[data-metric="n_noise"]').first().textContent())!.split(' ')[0]);
    expect(noise).toBeLessThan(8950 * 0.05);
    // Every eps answer was a re-cut: the worker's index was built once per min_samples.
    const path = await page.evaluate(() => (globalThis as any).__recolourPath);
    expect(path).toBe('fast');
    await page.context().close();
  });

  it('a bad eps is explained beside the control and the last good result stays', async () => {
    const page = await openApp(app);
    await page.getByLabel('algorithm').first().selectOption('DBSCAN');
    await waitForClusters(page);
    const before = await page.locator('[data-metric="n_clusters"]').first().textContent();
    await page.getByLabel('eps value').fill('-1');
    await expect.poll(() => page.locator('[role=alert][data-param="eps"]').first().textContent()).toMatch(/eps/);
    await page.getByLabel('eps value').fill('0');
    await expect.poll(() => page.locator('[role=alert][data-param="eps"]').first().textContent()).toMatch(/eps.*0/);
    expect(await page.locator('[data-metric="n_clusters"]').first().textContent()).toBe(before);
    await page.context().close();
  });

  it('a drag ends a running exact silhouette; the labels it ends on still get their exact metrics', async () => {
    const page = await openApp(app);
    await page.getByLabel('algorithm').first().selectOption('DBSCAN');
    await waitForClusters(page);
    const slider = page.getByLabel('eps', { exact: true });
    await expect.poll(() => slider.getAttribute('max'), { timeout: 30_000 }).not.toBe('5');
    const restarts = () => page.evaluate(() => ((globalThis as any).__clustertuneRestarts()['metrics:1'] ?? 0) as number);
    const before = await restarts();
    // move eps (as a drag does: input events) the moment the sampled silhouette shows: the exact one has just started
    await slider.evaluate(
      (input: HTMLInputElement) =>
        new Promise<void>((resolve) => {
          const moveWhenSampled = () => {
            if (!document.body.textContent!.includes('exact value coming')) return void requestAnimationFrame(moveWhenSampled);
            for (let i = 0; i < 3; i++) {
              input.stepUp();
              input.dispatchEvent(new Event('input', { bubbles: true }));
            }
            resolve();
          };
          moveWhenSampled();
        }),
    );
    await expect.poll(restarts).toBe(before + 1); // the exact silhouette's worker was ended
    // once the drag pauses, the labels shown get their exact silhouette
    await expect
      .poll(() => page.evaluate(() => {
        const p = (globalThis as any).__clustertune.panes[0];
        return p.metrics?.silhouette_sample_size === null && p.metrics?.n_excluded_noise === p.result.n_noise;
      }), { timeout: 60_000 })
      .toBe(true);
    expect(await page.getByText('exact value coming').count()).toBe(0);
    await page.context().close();
  });
});
