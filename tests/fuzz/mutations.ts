// fast-check arbitraries that break a well-formed model file: mutations of the model.json tree (delete a field,
// retype it, put a hostile number in it, drop or repeat an array element), of its text (truncate, insert,
// delete a character) and of the weight bytes (truncate, pad, overwrite).
import fc from "fast-check";

/** Numbers and values that have broken parsers before: signs, zero, 2³¹, NaN, 1e308, huge layer sizes … */
export const HOSTILE_NUMBERS = [
  -1,
  0,
  1,
  2 ** 31,
  2 ** 32,
  -(2 ** 31),
  2 ** 53,
  NaN,
  Infinity,
  -Infinity,
  1e308,
  -1e308,
  1e9,
  1e7,
  0.5,
  -0,
  3.7,
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      "abc",
      "float32",
      "int32",
      "uint8",
      "float16",
      "relu",
      "Dense",
      "Sequential",
      "optimizer",
      "__proto__",
      "constructor",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      null,
      true,
      false,
      [],
      {},
      [null],
      [1e9],
      [-1],
      [0],
      [2 ** 31],
      [null, -1],
      [null, 1e9],
      { class_name: "Dense", config: {} },
      { dtype: "uint8" },
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

export type TreeMutation =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "dropElement"; at: number }
  | { kind: "repeatElement"; at: number };

export const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant("dropElement" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("repeatElement" as const), at: fc.nat() }),
);

type Container = Record<string, unknown> | unknown[];

/** Every (parent, key) slot of a JSON tree, depth first, in a fixed order. */
function slots(root: unknown): { parent: Container; key: string | number }[] {
  const out: { parent: Container; key: string | number }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (out.push({ parent: node, key: i }), visit(child)));
    else if (node && typeof node === "object")
      for (const [key, child] of Object.entries(node)) out.push({ parent: node as Container, key }), visit(child);
  };
  visit(root);
  return out;
}

/** Applies the mutations in place (each picks its slot modulo the slots there are). */
export function mutateTree(root: object, mutations: readonly TreeMutation[]): void {
  for (const mutation of mutations) {
    const all = slots(root);
    if (all.length === 0) return;
    const { parent, key } = all[mutation.at % all.length];
    switch (mutation.kind) {
      case "delete":
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case "replace":
        (parent as Record<string | number, unknown>)[key] = structuredClone(mutation.value);
        break;
      case "dropElement":
      case "repeatElement": {
        const target = (parent as Record<string | number, unknown>)[key];
        if (!Array.isArray(target) || target.length === 0) break;
        const index = mutation.at % target.length;
        if (mutation.kind === "dropElement") target.splice(index, 1);
        else target.splice(index, 0, structuredClone(target[index]));
      }
    }
  }
}

export type TextMutation = { kind: "truncate" | "insert" | "delete"; at: number; char: string };

export const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  kind: fc.constantFrom("truncate" as const, "insert" as const, "delete" as const),
  at: fc.nat(),
  char: fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "0", "-", "e", "\\", "\u0000", "n", " "),
});

export function mutateText(text: string, { kind, at, char }: TextMutation): string {
  const index = at % (text.length + 1);
  if (kind === "truncate") return text.slice(0, index);
  if (kind === "insert") return text.slice(0, index) + char + text.slice(index);
  return text.slice(0, index) + text.slice(index + 1);
}

export type ByteMutation = { kind: "truncate" | "pad" | "overwrite"; at: number; count: number; byte: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.record({
  kind: fc.constantFrom("truncate" as const, "pad" as const, "overwrite" as const),
  at: fc.nat(),
  count: fc.integer({ min: 1, max: 64 }),
  byte: fc.integer({ min: 0, max: 255 }),
});

export function mutateBytes(bytes: Uint8Array, { kind, at, count, byte }: ByteMutation): Uint8Array {
  const index = at % (bytes.length + 1);
  if (kind === "truncate") return bytes.slice(0, index);
  if (kind === "pad") {
    const out = new Uint8Array(bytes.length + count).fill(byte);
    out.set(bytes);
    return out;
  }
  const out = bytes.slice();
  out.fill(byte, index, index + count);
  return out;
}
