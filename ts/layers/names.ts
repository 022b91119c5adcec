// Keras 3 naming: the first Dense is "dense", then "dense_1", "dense_2", … per class, per process.
const counters = new Map<string, number>();

export function uniqueLayerName(className: string): string {
  const base = toSnakeCase(className);
  const count = counters.get(base) ?? 0;
  counters.set(base, count + 1);
  return count === 0 ? base : `${base}_${count}`;
}

export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
