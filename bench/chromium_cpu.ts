/**
 * CPU time used by the Chromium that a bench launched: the sum over every thread of every Chromium
 * process below this Node process (browser, renderer, GPU process with SwiftShader's workers), read
 * from Linux's /proc/<pid>/task/<tid>/schedstat (nanoseconds on the CPU). Unlike wall time, it
 * does not grow when other processes take the cores, so a ratio of two cases' CPU times stays put
 * on a busy machine. Linux only; elsewhere it reports NaN.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Process ids under `root` (children, grandchildren, ...), from /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesized command: state, ppid, ...
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // The process ended while we listed /proc.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) =>
    (children.get(pid) ?? []).forEach((child) => {
      found.push(child);
      walk(child);
    });
  walk(root);
  return found;
}

/** Nanoseconds of CPU used so far by the Chromium processes below this Node process. */
export function chromiumCpuNs(): number {
  if (process.platform !== 'linux') {
    return NaN;
  }
  let ns = 0;
  for (const pid of descendants(process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom')) {
        continue; // esbuild's service, for one
      }
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
    } catch {
      // The process or thread ended while we read it.
    }
  }
  return ns;
}
