/**
 * Writing files so that they survive a crash or a power cut once written: new files flushed to the
 * disk (fsync) before anything points at them, and the folder flushed after a rename into it.
 */
import type { NodeFileSystem } from './node_fs';
import { errorCode } from './regular_file';

/**
 * Writes `data` to a new file (refusing to replace one) and flushes it to the disk (fsync) before returning, so that a
 * model.json renamed after it never names bytes still in a cache when the power goes.
 */
export async function writeDurably(
  node: NodeFileSystem,
  api: string,
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  const { O_WRONLY, O_CREAT, O_EXCL } = node.constants;
  try {
    const handle = await node.fs.open(file, O_WRONLY | O_CREAT | O_EXCL, 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await node.fs.rm(file, { force: true });
    throw new Error(`${api}: cannot write ${file} (${errorCode(e)})`);
  }
}

/** Flushes a folder's entries (the renames into it) to the disk; a no-op where the system cannot
 * open folders (Windows). */
export async function syncFolder(node: NodeFileSystem, folder: string): Promise<void> {
  let handle;
  try {
    handle = await node.fs.open(folder, node.constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM on file systems that cannot sync folders: nothing more can be done.
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `data`: a temporary file beside it, flushed to the disk, then renamed over
 * it and the folder flushed, so that a kill at any moment leaves the previous file or the new one.
 */
export async function replaceFile(
  node: NodeFileSystem,
  api: string,
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  const temporary = `${file}.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeDurably(node, api, temporary, data);
    await node.fs.rename(temporary, file);
  } finally {
    await node.fs.rm(temporary, { force: true });
  }
  await syncFolder(node, node.path.dirname(file));
}
