/**
 * The browser examples (examples/browser, examples/worker) as shipped, in Chromium: served from
 * the repository root, with dist/ mapped to freshly built bundles. The page trains and predicts
 * twice (bit-identical); the worker loads a model the page saved and predicts like the page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './bundle';
import { launchChromium, type Chromium } from './chromium';
import { startStaticServer, type StaticServer } from './server';

jest.setTimeout(120_000);

let outdir = '';
let server: StaticServer;
let browser: Chromium;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-examples-'));
  execFileSync('node', [join(REPO_ROOT, 'scripts', 'build_browser.mjs'), '--outdir', outdir], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  server = await startStaticServer({ '/': REPO_ROOT, '/dist/': outdir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(outdir, { recursive: true, force: true });
});

async function resultOf(path: string): Promise<Record<string, unknown>> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${server.url}${path}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => 'exampleResult' in window, null, { timeout: 90_000 });
    const result = (await page.evaluate(
      () => (window as unknown as { exampleResult: unknown }).exampleResult,
    )) as Record<string, unknown>;
    expect(errors).toEqual([]);
    return result;
  } finally {
    await page.close();
  }
}

it('examples/browser trains a HadamRNN in the page and predicts deterministically', async () => {
  const result = await resultOf('examples/browser/');
  expect(result.error).toBeUndefined();
  expect(['webgl', 'cpu']).toContain(result.backend);
  const losses = result.losses as number[];
  expect(losses).toHaveLength(3);
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(result.deterministic).toBe(true);
});

it('examples/worker loads the saved model in a Web Worker, which predicts like the page', async () => {
  const result = await resultOf('examples/worker/');
  expect(result).toEqual({ className: 'HadamRNN', identical: true });
});
