/**
 * Reading an untrusted file: only a regular file, inside a given folder once symbolic links are
 * resolved, and no larger than a cap. Links to devices (/dev/zero), FIFOs and files outside the
 * folder (/proc/self/environ) are refused before a byte is read, and error messages never quote
 * what a file holds. Every file this package reads back (model.json, shards, the CLI's checkpoint
 * files) goes through here.
 */
import type { JsonChecker } from './json_checker';
import type { FileHandle, NodeFileSystem } from './node_fs';

/** An opened regular file, its size known; close it with `handle.close()`. */
export interface OpenedFile {
  /** The file once symbolic links are resolved. */
  file: string;
  handle: FileHandle;
  size: number;
}

/**
 * Opens `file` for reading after checking that it resolves inside `folder` (itself resolved) and
 * is a regular file of at most `maxBytes`. Opening uses O_NOFOLLOW and O_NONBLOCK, so a file
 * swapped for a link or a FIFO after the checks fails to open or is refused by its fstat, instead
 * of being followed or blocking.
 * @param subject How the file is named in errors (after the checker's prefix), e.g. `paths[0] 'x' `.
 */
export async function openRegularFile(
  node: NodeFileSystem,
  check: JsonChecker,
  file: string,
  folder: string,
  maxBytes: number,
  subject = '',
): Promise<OpenedFile> {
  let real: string;
  let realFolder: string;
  try {
    realFolder = await node.fs.realpath(folder);
    real = await node.fs.realpath(file);
  } catch (e) {
    throw check.error(`${subject}${fsProblem(e)}`);
  }
  if (
    !real.startsWith(realFolder.endsWith(node.path.sep) ? realFolder : realFolder + node.path.sep)
  ) {
    throw check.error(
      `${subject}resolves outside the ${subject === '' ? 'folder' : 'model folder'}`,
    );
  }
  const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = node.constants;
  let handle: FileHandle;
  try {
    handle = await node.fs.open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    throw check.error(`${subject}${fsProblem(e)}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw check.error(`${subject}is not a regular file`);
    }
    if (stats.size > maxBytes) {
      throw check.error(`${subject}is ${stats.size} bytes, more than the limit of ${maxBytes}`);
    }
    return { file: real, handle, size: stats.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads all `opened.size` bytes of an opened file into `target` (at `offset`), then closes it.
 * A file that grew or shrank since it was opened is refused.
 */
export async function readOpenedFile(
  check: JsonChecker,
  opened: OpenedFile,
  subject = '',
  target = new Uint8Array(opened.size),
  offset = 0,
): Promise<Uint8Array> {
  try {
    let done = 0;
    while (done < opened.size) {
      const { bytesRead } = await opened.handle.read(
        target,
        offset + done,
        opened.size - done,
        done,
      );
      if (bytesRead === 0) {
        break;
      }
      done += bytesRead;
    }
    const extra = await opened.handle.read(new Uint8Array(1), 0, 1, opened.size);
    if (done !== opened.size || extra.bytesRead !== 0) {
      throw check.error(`${subject}changed size while being read`);
    }
    return target.subarray(offset, offset + opened.size);
  } finally {
    await opened.handle.close();
  }
}

/** {@link openRegularFile} then {@link readOpenedFile}: the whole file, checked. */
export async function readRegularFile(
  node: NodeFileSystem,
  check: JsonChecker,
  file: string,
  folder: string,
  maxBytes: number,
  subject = '',
): Promise<Uint8Array> {
  const opened = await openRegularFile(node, check, file, folder, maxBytes, subject);
  return readOpenedFile(check, opened, subject);
}

/** Bytes decoded as UTF-8 text, refused (never quoted) when they are not. */
export function utf8Text(check: JsonChecker, bytes: Uint8Array, subject = ''): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw check.error(`${subject}is not valid UTF-8 text`);
  }
}

/**
 * `JSON.parse(text)`, or an error that says where the text broke but never quotes it (V8's own
 * messages quote the text around the error, which may be a secret read through a link).
 */
export function parseJsonText(check: JsonChecker, text: string, subject = ''): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at
      ? ` (at character ${at[1]})`
      : /end of JSON/.test(message)
        ? ' (it ends early)'
        : '';
    throw check.error(`${subject}is not valid JSON${where}`);
  }
}

/** 'does not exist' for ENOENT, else the system's code ('cannot be read (EACCES)'). */
export function fsProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') {
    return 'does not exist';
  }
  if (code === 'ELOOP') {
    return 'is a symbolic link';
  }
  return `cannot be read (${errorCode(e)})`;
}

/** A system error's code (ENOENT, EACCES, ...), else its message on one line. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : String((e as Error).message).split('\n')[0];
}
