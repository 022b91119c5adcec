// NOTE: a file of its own, not topology.ts's: compile, fit's data and Model's constructor use it at start, and
// esbuild's code splitting loads a shared file whole, so the topology reader and writer (used by save and the
// Keras readers, loaded through import()) would come along at start.

/** An object of keys (a config, an options bag): not null, not an array, not a typed array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
