/**
 * Launches Debian's Chromium headless through playwright-core (never a downloaded browser), with
 * WebGL on SwiftShader and a fresh profile that is deleted on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The browser binary: $CHROMIUM_PATH, default Debian's (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags of every run (DEVELOPERS.md): software WebGL and WebGPU, and no network or update traffic. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // WebGPU: on SwiftShader's Vulkan where no GPU exists; pages must come from http://127.0.0.1.
  '--enable-unsafe-webgpu',
  // Dawn on Chromium's Vulkan: without it tfjs-webgpu's synchronous reads (dataSync, through a
  // WebGPU canvas) return zeros in headless Chromium.
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A running browser and how to close it (and remove its profile). */
export interface Chromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'hadamrnn-chromium-'));
  // launchPersistentContext is playwright's way to pass --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
