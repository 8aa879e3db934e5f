/**
 * The import graph of src/, read from the source text: every relative `import … from`,
 * `export … from`, `import('…')` and `require('…')` resolved to a file. Used by
 * import_graph.test.ts to hold the layering that docs/architecture.md draws.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Source file (relative to the root, '/'-separated) -> the source files it imports. */
export type ImportGraph = Map<string, string[]>;

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** The relative specifiers in one file's text (package imports are left out). */
export function relativeSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    if (match[1].startsWith('.')) found.push(match[1]);
  }
  return found;
}

/** Reads every .ts file below `root`/`dir` and resolves its relative imports. */
export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of tsFiles(path.join(root, dir))) {
    const from = toKey(root, file);
    const targets = relativeSpecifiers(readFileSync(file, 'utf8')).map((spec) => {
      const resolved = resolveSpecifier(path.dirname(file), spec);
      if (resolved == null) throw new Error(`${from}: cannot resolve import '${spec}'`);
      return toKey(root, resolved);
    });
    graph.set(from, targets);
  }
  return graph;
}

/** The edges `from -> to` for which `forbidden(from, to)` holds, as readable strings. */
export function violations(
  graph: ImportGraph,
  forbidden: (from: string, to: string) => boolean,
): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (forbidden(from, to)) found.push(`${from} -> ${to}`);
  }
  return found;
}

/** Each import cycle once, as the files along it (Tarjan's strongly connected components). */
export function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function resolveSpecifier(fromDir: string, spec: string): string | null {
  const base = path.resolve(fromDir, spec);
  const candidates = [base, `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function toKey(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
