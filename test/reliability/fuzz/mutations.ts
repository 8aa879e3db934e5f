/**
 * Seeded mutations of a saved model folder for the loader fuzz test: structural edits of
 * model.json (delete, retype, replace, duplicate, inject keys), text edits (truncate, flip bytes)
 * and shard edits (truncate, extend, flip bytes). Each returns a description so that a failing
 * case can be reproduced from its seed.
 */

/** A model folder in memory. */
export interface ModelFiles {
  modelJson: string;
  shard: Uint8Array;
}

type Json = unknown;
type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/** Values a hostile or careless writer might put anywhere. */
const REPLACEMENTS: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  2.5,
  1e308,
  -1e308,
  2 ** 31,
  '',
  'x',
  '__proto__',
  'constructor',
  'toString',
  'float64',
  '../x.bin',
  '/etc/passwd',
  [],
  [null],
  [-1, 3],
  [1e9, 1e9],
  {},
  { class_name: 'Nope', config: {} },
  { class_name: 'HadamUniformSte', config: { bits: 0 } },
];

const INJECTED_KEYS = ['__proto__', 'constructor', 'prototype', 'foo', 'class_name', 'config'];

interface Slot {
  parent: Record<string, Json> | Json[];
  key: string | number;
  where: string;
}

/** Every (parent, key) slot of the tree, depth-first. */
function slots(root: Json): Slot[] {
  const found: Slot[] = [];
  const visit = (value: Json, where: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        found.push({ parent: value, key: i, where: `${where}[${i}]` });
        visit(v, `${where}[${i}]`);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        found.push({ parent: value as Record<string, Json>, key: k, where: `${where}.${k}` });
        visit(v, `${where}.${k}`);
      }
    }
  };
  visit(root, '');
  return found;
}

function get(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key];
}

function set(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) {
    slot.parent[slot.key as number] = value;
  } else {
    // defineProperty: a plain assignment of '__proto__' would change the prototype instead.
    Object.defineProperty(slot.parent, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

/** One structural edit of the parsed model.json; returns its description. */
function mutateTree(random: Random, root: Json): string {
  const all = slots(root);
  const slot = pick(random, all);
  const value = get(slot);
  switch (Math.floor(random() * 6)) {
    case 0:
      if (Array.isArray(slot.parent)) {
        slot.parent.splice(slot.key as number, 1);
      } else {
        delete slot.parent[slot.key as string];
      }
      return `delete ${slot.where}`;
    case 1: {
      const replacement = pick(random, REPLACEMENTS);
      set(slot, replacement);
      return `set ${slot.where} = ${JSON.stringify(replacement)}`;
    }
    case 2:
      set(slot, typeof value === 'string' ? Number(value) || 7 : (JSON.stringify(value) ?? 'u'));
      return `retype ${slot.where}`;
    case 3:
      if (typeof value === 'number') {
        const changed = pick(random, [value + 1, value - 1, value * 2, -value, 0]);
        set(slot, changed);
        return `set ${slot.where} = ${changed}`;
      }
      set(slot, value === null ? {} : [value, value]);
      return `wrap ${slot.where}`;
    case 4: {
      const key = pick(random, INJECTED_KEYS);
      const target =
        value !== null && typeof value === 'object' && !Array.isArray(value) ? value : root;
      set({ parent: target as Record<string, Json>, key, where: '' }, pick(random, REPLACEMENTS));
      return `inject ${key} into ${target === root ? 'the top level' : slot.where}`;
    }
    default:
      if (Array.isArray(slot.parent)) {
        slot.parent.push(JSON.parse(JSON.stringify(value ?? null)));
        return `duplicate ${slot.where}`;
      }
      set(slot, pick(random, REPLACEMENTS));
      return `replace ${slot.where}`;
  }
}

/** A mutated copy of `files`, and what was done to it. */
export function mutate(random: Random, files: ModelFiles): { files: ModelFiles; what: string[] } {
  let modelJson = files.modelJson;
  const shard = Uint8Array.from(files.shard);
  let shardOut: Uint8Array = shard;
  const what: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let m = 0; m < count; m++) {
    const kind = random();
    const tree = kind < 0.65 ? parseOrNull(modelJson) : null;
    if (tree !== null) {
      what.push(mutateTree(random, tree));
      modelJson = JSON.stringify(tree);
    } else if (kind < 0.75 && kind >= 0.65) {
      const at = Math.floor(random() * modelJson.length);
      modelJson = modelJson.slice(0, at);
      what.push(`truncate model.json at ${at}`);
    } else if (kind < 0.85) {
      const at = Math.floor(random() * modelJson.length);
      const char = String.fromCharCode(Math.floor(random() * 128));
      modelJson = modelJson.slice(0, at) + char + modelJson.slice(at + 1);
      what.push(`set model.json char ${at} = ${JSON.stringify(char)}`);
    } else if (kind < 0.9) {
      const length = Math.floor(random() * shardOut.length);
      shardOut = shardOut.slice(0, length);
      what.push(`truncate shard to ${length}`);
    } else if (kind < 0.95) {
      const extra = 1 + Math.floor(random() * 16);
      const longer = new Uint8Array(shardOut.length + extra);
      longer.set(shardOut);
      shardOut = longer;
      what.push(`extend shard by ${extra}`);
    } else {
      const at = Math.floor(random() * shardOut.length);
      shardOut[at] ^= 1 << Math.floor(random() * 8);
      what.push(`flip a bit of shard byte ${at}`);
    }
  }
  return { files: { modelJson, shard: shardOut }, what };
}

/** The parsed text, or null once a text edit has broken it. */
function parseOrNull(text: string): Json | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
