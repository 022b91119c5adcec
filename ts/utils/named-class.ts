/** An identifier densa/infer's forward-only stand-ins read from a file: a name, or { className, config }. */
export interface NamedClass {
  className: string;
  config: Record<string, unknown>;
}

/**
 * The class among `classNames` (Keras's, "GlorotUniform") that an identifier names — as the class, in camelCase
 * ("glorotUniform") or in snake_case ("glorot_uniform"), alone or as { className, config } — with a copy of its
 * config; or undefined. NOTE: the check densa/infer's stand-ins make (initializers/index.infer.ts,
 * regularizers/constraints.infer.ts): a name is known or refused as in "densa", and the config kept for getConfig.
 */
export function namedClass(identifier: unknown, classNames: readonly string[]): NamedClass | undefined {
  const given = identifier as { className?: unknown; config?: Record<string, unknown> } | null | undefined;
  const name = typeof identifier === "string" ? identifier : given?.className;
  const className = classNames.find((known) => {
    const camel = known[0].toLowerCase() + known.slice(1);
    return name === known || name === camel || name === camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  });
  return className ? { className, config: typeof identifier === "object" ? { ...given?.config } : {} } : undefined;
}
