// What "densa's own Error" means, checkably: densa refuses bad input with a plain `Error` (not a TypeError,
// RangeError or WebAssembly.RuntimeError) whose message starts with the name of the densa function, method or
// class that refused — `loadModel: …`, `fit: x[2] …`, `Dense: units …`, `alloc: …` — and carries none of the
// phrases the JavaScript engine or the wasm runtime put into their own errors.
import { expect } from "vitest";
import { Allocator } from "../../ts/engine/allocator.js";
import * as densa from "../../ts/index.js";
import { InferenceModel } from "../../ts/models/inference-model.js";
import { Sequential } from "../../ts/models/sequential.js";

const NAMESPACES = [
  densa.layers,
  densa.optimizers,
  densa.losses,
  densa.metrics,
  densa.callbacks,
  densa.initializers,
  densa.regularizers,
  densa.constraints,
  densa.ops,
];

/** Every name densa refuses under: exports, namespace members, model and allocator methods, a few internals. */
export const DENSA_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(densa),
  ...NAMESPACES.flatMap((namespace) => Object.keys(namespace)),
  ...[Sequential, InferenceModel, Allocator].flatMap((klass) => {
    const names: string[] = [];
    for (let proto = klass.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
      names.push(...Object.getOwnPropertyNames(proto));
    return names;
  }),
  // Internal helpers that name themselves in their messages.
  "BatchIndexer",
  "RandomGenerator",
  "Tensor",
  "tensor",
  "activation",
  "deserializeSchedule",
]);

/** Text the engine (V8, SpiderMonkey, JSC) or the wasm runtime writes into its own errors. */
const ENGINE_PHRASES = [
  /Cannot read propert/i,
  /Cannot set propert/i,
  /is not a function/,
  /is not iterable/,
  /is not a constructor/,
  /undefined \(reading/,
  /null \(reading/,
  /Maximum call stack/,
  /Invalid array length/,
  /Invalid typed array length/,
  /out of bounds/i,
  /\bunreachable\b/,
  /memory access/i,
  /Array buffer allocation failed/,
  /Cannot convert/,
  /Cannot destructure/,
  /is not defined/,
];

/** Why `error` is not densa's own (or, given `fn`, does not start with `${fn}: `), or null when it is. */
export function notOwnError(error: unknown, fn?: string): string | null {
  if (!(error instanceof Error)) return `threw a non-Error: ${String(error)}`;
  if (error.constructor !== Error) return `threw ${error.constructor.name}: ${error.message}`;
  const name = /^([A-Za-z_$][\w$]*)(?:\.[\w$]+)?[:[ ]/.exec(error.message)?.[1];
  if (!name || !DENSA_NAMES.has(name)) return `the message does not start with a densa name: ${error.message}`;
  if (fn !== undefined && !error.message.startsWith(`${fn}: `))
    return `the message does not start with "${fn}: ": ${error.message}`;
  const phrase = ENGINE_PHRASES.find((pattern) => pattern.test(error.message));
  if (phrase) return `the message carries an engine error (${phrase}): ${error.message}`;
  return null;
}

export function expectOwnError(error: unknown, fn?: string): void {
  expect(notOwnError(error, fn), (error as Error)?.stack).toBeNull();
}
