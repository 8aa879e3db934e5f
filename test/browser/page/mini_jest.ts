/**
 * The part of jest's globals that our suites use (describe, it/test, .each, .skip, the four hooks),
 * for running the same suite modules in a browser page. Suites register into a tree when their
 * module is evaluated; `runRegistered` then runs it in order and reports one result per test.
 * `expect` comes from ./expect.
 */
import { expect } from './expect';

type Fn = () => unknown | Promise<unknown>;

interface Block {
  title: string;
  parent: Block | null;
  /** Tests and child blocks, in declaration order. */
  children: Array<Block | TestCase>;
  hooks: Record<'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach', Fn[]>;
}

interface TestCase {
  title: string;
  fn: Fn | null;
}

/** The outcome of one test, as sent back to the Node side. */
export interface TestResult {
  /** Block titles and the test title, joined by ' > '. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  error?: string;
  ms: number;
}

const root: Block = newBlock('', null);
let current = root;

function newBlock(title: string, parent: Block | null): Block {
  return {
    title,
    parent,
    children: [],
    hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] },
  };
}

const isBlock = (node: Block | TestCase): node is Block => 'children' in node;

/** jest's title formatting for `.each`: printf placeholders, or `$key` for object rows. */
export function formatTitle(title: string, row: unknown[]): string {
  if (row.length === 1 && row[0] !== null && typeof row[0] === 'object' && !Array.isArray(row[0])) {
    const values = row[0] as Record<string, unknown>;
    if (title.includes('$')) {
      return title.replace(/\$([A-Za-z_]\w*)/g, (_, key: string) => String(values[key]));
    }
  }
  let next = 0;
  return title.replace(/%[sdifjop#%]/g, (token) => {
    if (token === '%%') {
      return '%';
    }
    if (token === '%#') {
      return '';
    }
    const value = row[next++];
    switch (token) {
      case '%i':
        return String(Math.trunc(Number(value)));
      case '%d':
      case '%f':
        return String(Number(value));
      case '%j':
      case '%o':
        return JSON.stringify(value);
      case '%p':
        return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
      default:
        return String(value);
    }
  });
}

const rowsOf = (table: readonly unknown[]) =>
  table.map((row) => (Array.isArray(row) ? (row as unknown[]) : [row]));

function describe(title: string, body: () => void): void {
  const block = newBlock(title, current);
  current.children.push(block);
  const saved = current;
  current = block;
  try {
    body();
  } finally {
    current = saved;
  }
}
describe.each =
  (table: readonly unknown[]) => (title: string, body: (...args: unknown[]) => void) => {
    for (const row of rowsOf(table)) {
      describe(formatTitle(title, row), () => body(...row));
    }
  };
describe.skip = (title: string, _body: () => void) => {
  current.children.push({ title, fn: null });
};
describe.only = describe;

function it(title: string, fn?: (...args: unknown[]) => unknown, _timeout?: number): void {
  current.children.push({ title, fn: fn ? (fn as Fn) : null });
}
it.each =
  (table: readonly unknown[]) =>
  (title: string, fn: (...args: unknown[]) => unknown, _timeout?: number) => {
    for (const row of rowsOf(table)) {
      it(formatTitle(title, row), () => fn(...row));
    }
  };
it.skip = (title: string, _fn?: unknown) => it(title);
it.only = it;
it.todo = (title: string) => it(title);

const hook = (kind: keyof Block['hooks']) => (fn: Fn) => {
  current.hooks[kind].push(fn);
};

/** Installs describe, it, test, expect and the hooks on `globalThis`. */
export function installGlobals(): void {
  Object.assign(globalThis, {
    describe,
    it,
    test: it,
    expect,
    beforeAll: hook('beforeAll'),
    afterAll: hook('afterAll'),
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
  });
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);

/** Runs every registered test in declaration order, then forgets them. */
export async function runRegistered(): Promise<TestResult[]> {
  const results: TestResult[] = [];
  await runBlock(root, [], results, null);
  root.children.length = 0;
  return results;
}

async function runHooks(block: Block | null, kind: 'beforeEach' | 'afterEach'): Promise<void> {
  const chain: Block[] = [];
  for (let b = block; b != null; b = b.parent) {
    chain.push(b);
  }
  const ordered = kind === 'beforeEach' ? chain.reverse() : chain;
  for (const b of ordered) {
    for (const fn of b.hooks[kind]) {
      await fn();
    }
  }
}

async function runBlock(
  block: Block,
  path: string[],
  results: TestResult[],
  inheritedFailure: string | null,
): Promise<void> {
  const titles = block.title ? [...path, block.title] : path;
  let failure = inheritedFailure;
  if (failure == null) {
    try {
      for (const fn of block.hooks.beforeAll) {
        await fn();
      }
    } catch (error) {
      failure = `beforeAll failed: ${describeError(error)}`;
    }
  }
  for (const node of block.children) {
    if (isBlock(node)) {
      await runBlock(node, titles, results, failure);
      continue;
    }
    const name = [...titles, node.title].join(' > ');
    const start = performance.now();
    if (node.fn == null) {
      results.push({ name, status: 'skipped', ms: 0 });
      continue;
    }
    if (failure != null) {
      results.push({ name, status: 'failed', error: failure, ms: 0 });
      continue;
    }
    try {
      await runHooks(block, 'beforeEach');
      await node.fn();
      await runHooks(block, 'afterEach');
      results.push({ name, status: 'passed', ms: performance.now() - start });
    } catch (error) {
      results.push({
        name,
        status: 'failed',
        error: describeError(error),
        ms: performance.now() - start,
      });
    }
  }
  if (inheritedFailure == null) {
    for (const fn of block.hooks.afterAll) {
      await fn();
    }
  }
}
