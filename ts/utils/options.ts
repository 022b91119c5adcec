/**
 * Validation of option objects and scalar arguments, with messages that name the function, the option,
 * what was expected and what came: `EarlyStopping: patience must be a non-negative integer, got -1`.
 */
import { describeValue, listNames } from "./describe.js";

let ignoringUnknownKeys = 0;

/**
 * Runs `build` with unknown option names dropped instead of refused.
 * NOTE: only for configs read from saved files: Keras and tfjs write fields densa has no use for (dtype
 * policies, quantization_config, ragged, lora_rank, …) and such a file must still load, while a typo in a
 * user's own code must still throw. Values of known options are checked as always.
 */
export function ignoringUnknownOptions<Result>(build: () => Result): Result {
  ignoringUnknownKeys++;
  try {
    return build();
  } finally {
    ignoringUnknownKeys--;
  }
}

/** Throws for keys outside `valid`, listing the valid ones (and the camelCase form of a snake_case key). */
export function checkOptionKeys(fn: string, options: unknown, valid: readonly string[], what = "options"): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error(`${fn}: ${what} must be an object, got ${describeValue(options)}`);
  }
  if (ignoringUnknownKeys > 0) return;
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const near = camel !== key && valid.includes(camel) ? camel : closestName(key, valid);
    const hint = near ? ` (did you mean "${near}"?)` : "";
    throw new Error(`${fn}: unknown option ${JSON.stringify(key)}${hint}; valid options are ${listNames(valid)}`);
  }
}

/**
 * The valid name `name` most likely misspells, for "did you mean" hints: one it abbreviates ("std" → "stddev"),
 * else the nearest within a third of its length in edits (at least one), case-insensitive; else undefined.
 */
export function closestName(name: string, valid: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  if (lower.length >= 3) {
    const extended = valid.find((candidate) => candidate.toLowerCase().startsWith(lower));
    if (extended) return extended;
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(lower.length / 3)) + 1;
  for (const candidate of valid) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions), two rows of dynamic programming. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** The minimum itself is not allowed. */
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

/** A finite number within the rule's bounds; returns it. */
export function checkNumber(fn: string, name: string, value: unknown, rule: NumberRule = {}): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minExclusive ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || (rule.maxExclusive ? value < rule.max : value <= rule.max));
  if (!ok) throw new Error(`${fn}: ${name} must be ${describeRule(rule)}, got ${describeValue(value)}`);
  return value as number;
}

/** A random seed: an integer in [0, 2^53) (larger ones would not stay distinct as numbers); returns it. */
export function checkSeed(fn: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${fn}: seed must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

/** One of the listed strings; returns it. */
export function checkChoice<T extends string>(fn: string, name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new Error(`${fn}: unknown ${name} ${describeValue(value)}; valid values are ${listNames(choices)}`);
}

export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new Error(`${fn}: ${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

export function checkString(fn: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new Error(`${fn}: ${name} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

export function checkFunction<F>(fn: string, name: string, value: unknown): F {
  if (typeof value !== "function") throw new Error(`${fn}: ${name} must be a function, got ${describeValue(value)}`);
  return value as F;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? "an integer" : "a finite number";
  if (rule.min === 0 && rule.max === undefined) {
    if (rule.integer) return rule.minExclusive ? "a positive integer" : "a non-negative integer";
    if (rule.minExclusive) return "a positive finite number";
  }
  if (rule.min !== undefined && rule.max !== undefined) {
    return `${kind} in ${rule.minExclusive ? "(" : "["}${rule.min}, ${rule.max}${rule.maxExclusive ? ")" : "]"}`;
  }
  if (rule.min !== undefined) return `${kind} ${rule.minExclusive ? ">" : ">="} ${rule.min}`;
  if (rule.max !== undefined) return `${kind} ${rule.maxExclusive ? "<" : "<="} ${rule.max}`;
  return kind;
}

/** One of a few allowed primitive values (e.g. verbose 0 | 1); returns it. */
export function checkOneOf<T extends number | string>(
  fn: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new Error(
    `${fn}: ${name} must be one of ${allowed.map((item) => JSON.stringify(item)).join(", ")}, got ${describeValue(value)}`,
  );
}
