/**
 * Short descriptions of values for error messages: every bad-input error says what was expected and what came,
 * e.g. `fit: x[2][5] must be a number, got string "abc"`.
 */

/** "string \"abc\"", "boolean true", "null", "an array of length 3", "Float64Array of length 8", "object Foo". */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "number":
      return Number.isNaN(value) ? "NaN" : String(value);
    case "string":
      return `string ${JSON.stringify(value.length > 24 ? value.slice(0, 24) + "…" : value)}`;
    case "boolean":
      return `boolean ${value}`;
    case "bigint":
      return `bigint ${value}n`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: number }).length;
    return `${value.constructor.name}${length === undefined ? "" : ` of length ${length}`}`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `an object of class ${name}` : "an object";
}

/** "[2, 3]" — shapes are printed as JS arrays, the way users write them. */
export function formatShape(shape: readonly (number | null | undefined)[]): string {
  return `[${shape.map((dim) => (dim === null || dim === undefined ? "null" : String(dim))).join(", ")}]`;
}

/** `x[3][1]` for path [3, 1] under the argument name `x`. */
export function formatPath(arg: string, path: readonly number[]): string {
  let out = arg;
  for (const index of path) out += `[${index}]`;
  return out;
}

/** The multi-index of flat position `flat` in a row-major array of `shape`. */
export function unflattenIndex(flat: number, shape: readonly number[]): number[] {
  const path = new Array<number>(shape.length);
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    path[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return path;
}

/** Lists names for "unknown X; valid ones are: a, b, c" messages. */
export function listNames(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}

/** Warns once per distinct message, the way Python's default warning filter does for Keras's warnings. */
const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}
