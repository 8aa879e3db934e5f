/**
 * replaceFile (io/durable.ts), the whole-file replacement behind the bits export and the training
 * report: the new bytes or, when the replacement fails, the old ones, and no temporary left over.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFile } from '../../src/io/durable';
import { nodeFileSystem } from '../../src/io/node_fs';

const node = nodeFileSystem('test');
let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hadamrnn-replace-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('replaceFile', () => {
  it('replaces a file whole and leaves no temporary', async () => {
    const file = join(dir, 'metrics.json');
    writeFileSync(file, 'old');
    await replaceFile(node, 'test', file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['metrics.json']);
  });

  it('leaves what was there, and no temporary, when the rename fails', async () => {
    const target = join(dir, 'curve.svg');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    await expect(replaceFile(node, 'test', target, 'new')).rejects.toThrow();
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['curve.svg']);
  });
});
