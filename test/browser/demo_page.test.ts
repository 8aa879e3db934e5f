/**
 * The demo page (demo/web, `npm run demo:web`) in headless Chromium: the shipped model
 * (demo/model) must recall a fixed-seed copy sequence exactly on cpu, wasm, webgl and webgpu; the pictures
 * must show W = diag(s)·S_n/√n; "train here" must train live (the loss curve redrawn while the page
 * keeps answering) and then predict with the trained model. Keeps a screenshot in
 * artifacts/demo-page.png (and docs/demo-page.png when UPDATE_DEMO_SCREENSHOT=1).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildDemoPage, REPO_ROOT, serveDemoPage } from '../../demo/web/build';
import { Random } from '../../src/training/random';
import { copySequences } from '../../src/training/tasks/copy_task';
import { launchChromium, type Chromium } from './chromium';
import type { StaticServer } from './server';

jest.setTimeout(120_000);

const SEED = 7;
const T = 20;
const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'];
const TRAIN_STEPS = 40;
const SCREENSHOT = join(REPO_ROOT, 'artifacts', 'demo-page.png');

let outdir = '';
let server: StaticServer;
let browser: Chromium;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-demo-'));
  await buildDemoPage(outdir);
  server = await serveDemoPage(outdir);
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 760 });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${server.url}?seed=${SEED}&backend=cpu`);
  await waitReady();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(outdir, { recursive: true, force: true });
});

/** Waits until the page is idle; fails with its status line and errors if it reports one. */
async function waitReady(timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => ['ready', 'error'].includes(document.body.dataset.state ?? ''),
    null,
    {
      timeout,
    },
  );
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') {
    const status = await page.textContent('#status');
    throw new Error(`demo page: ${status}\npage errors: ${pageErrors.join('\n') || 'none'}`);
  }
}

const codesOf = (list: string | null | undefined) => (list ?? '').split(',').map(Number);

describe('demo page', () => {
  it('shows the fixed-seed sequence of the copy task generator', async () => {
    const expected = copySequences(T, 1, new Random(SEED));
    const rows = await page.$$eval('#sequence tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-codes')]),
    );
    expect(Object.fromEntries(rows.map(([name, codes]) => [name, codesOf(codes)]))).toMatchObject({
      input: Array.from(expected.inputs),
      expected: Array.from(expected.labels),
    });
  });

  it('recalls every symbol of the sequence with the shipped model on cpu, wasm, webgl and webgpu', async () => {
    const labels = Array.from(copySequences(T, 1, new Random(SEED)).labels);
    await page.click('#compare');
    await waitReady();
    const rows = await page.$$eval('#latency-rows tr', (trs) =>
      (trs as HTMLTableRowElement[]).map((tr) => ({
        backend: tr.getAttribute('data-backend'),
        codes: tr.getAttribute('data-codes'),
        cells: Array.from(tr.cells, (cell) => cell.textContent),
      })),
    );
    expect(rows.map((row) => row.backend)).toEqual(BACKENDS);
    for (const row of rows) {
      expect({ backend: row.backend, predicted: codesOf(row.codes) }).toEqual({
        backend: row.backend,
        predicted: labels,
      });
      expect(Number(row.cells[2])).toBeGreaterThan(0); // latency in ms
      expect(row.cells[3]).toBe('10/10');
    }
    expect(await page.$$('#sequence td.wrong')).toHaveLength(0);
    expect(await page.$$('#sequence td.ok')).toHaveLength(T);
  });

  it('pictures W = diag(s)·S_n/√n: row i of W starts with s_i', async () => {
    // Column 0 of the Sylvester matrix is all +1, so W[i][0] = s_i / √n.
    const picture = await page.evaluate(() => {
      const pixel = (id: string, x: number, y: number) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement;
        const ratio = canvas.width / canvas.clientWidth;
        const data = canvas.getContext('2d')!.getImageData(x * ratio, y * ratio, 1, 1).data;
        return `${data[0]},${data[1]},${data[2]}`;
      };
      const units = Number(document.getElementById('units')!.textContent);
      const cell = document.getElementById('signs')!.clientHeight / units;
      const at = (i: number) => (i + 0.5) * cell;
      return {
        units,
        signs: Array.from({ length: units }, (_, i) => pixel('signs', 1, at(i))),
        firstColumn: Array.from({ length: units }, (_, i) => pixel('matrix', at(0), at(i))),
      };
    });
    expect(picture.units).toBe(128);
    expect(picture.firstColumn).toEqual(picture.signs);
    expect(new Set(picture.signs).size).toBe(2); // + and −: a learned pattern, not all one sign
  });

  it('trains a model live, redrawing the loss curve and staying responsive, then predicts with it', async () => {
    await page.selectOption('#backend', 'wasm');
    await waitReady();
    await page.fill('#train-steps', String(TRAIN_STEPS));
    await page.click('#train');
    const stepsDrawn = () =>
      page.evaluate(() => Number(document.getElementById('loss')!.dataset.steps ?? 0));
    const curve = () =>
      page.evaluate(() => (document.getElementById('loss') as HTMLCanvasElement).toDataURL());
    await page.waitForFunction(() => Number(document.getElementById('loss')!.dataset.steps) >= 3);
    const [earlySteps, earlyCurve] = [await stepsDrawn(), await curve()];
    // Responsive: a frame is painted and a script answers within a fraction of a second.
    const started = Date.now();
    await page.evaluate(() => new Promise((painted) => requestAnimationFrame(painted)));
    expect(Date.now() - started).toBeLessThan(1000);
    await page.waitForFunction(
      (after) => Number(document.getElementById('loss')!.dataset.steps) > after + 2,
      earlySteps,
    );
    expect(await curve()).not.toEqual(earlyCurve);
    await page.waitForFunction(
      () => document.getElementById('train')!.textContent === 'Train here',
    );
    await waitReady();
    expect(await stepsDrawn()).toBe(TRAIN_STEPS);
    expect(await page.inputValue('#model')).toBe('trained');
    // Its (likely poor) prediction, every mistake highlighted.
    const predicted = codesOf(
      await page.getAttribute('#sequence tr[data-row="predicted"]', 'data-codes'),
    );
    const labels = copySequences(T, 1, new Random(SEED)).labels;
    const correct = predicted.map((code, t) => code === labels[t]);
    const recalled = correct.slice(T - 10).filter(Boolean).length;
    expect(predicted).toHaveLength(T);
    expect(await page.$$('#sequence td.wrong')).toHaveLength(correct.filter((ok) => !ok).length);
    expect(await page.textContent('#score')).toContain(
      `trained model on wasm: ${recalled}/10 symbols recalled`,
    );

    // Back to the shipped model for the screenshot: a correct prediction beside the loss curve.
    await page.selectOption('#model', 'shipped');
    await waitReady();
    expect(await page.$$('#sequence td.wrong')).toHaveLength(0);
    mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.UPDATE_DEMO_SCREENSHOT === '1') {
      copyFileSync(SCREENSHOT, join(REPO_ROOT, 'docs', 'demo-page.png'));
    }
    expect(pageErrors).toEqual([]);
  });
});
