import { isPlainObject } from "../topology.js";

type Json = Record<string, unknown>;

/** `[layer name, node index]` of every tensor one call of a layer takes, from either Keras form of a node. */
export function nodeInputs(node: unknown): [string, number][] {
  if (Array.isArray(node)) {
    // Keras 2 / tfjs: [[name, node, tensor, kwargs], …]
    return node
      .filter((ref): ref is unknown[] => Array.isArray(ref) && typeof ref[0] === "string")
      .map((ref) => [ref[0] as string, Number(ref[1] ?? 0)]);
  }
  if (!isPlainObject(node) || !Array.isArray(node.args)) return [];
  // Keras 3: { args: [tensor or [tensors]], kwargs }, each tensor { class_name: "__keras_tensor__", config: { keras_history } }.
  const refs: [string, number][] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isPlainObject(value) || !isPlainObject(value.config)) return;
    const history = value.config.keras_history ?? value.config.kerasHistory;
    if (Array.isArray(history) && typeof history[0] === "string") refs.push([history[0], Number(history[1] ?? 0)]);
  };
  visit(node.args);
  return refs;
}

/** `[name, node]` refs of input_layers / output_layers (a single triple or a list of them). */
export function endRefs(value: unknown): [string, number][] {
  const list = Array.isArray(value) && typeof value[0] === "string" ? [value] : value;
  if (!Array.isArray(list)) return [];
  return list
    .filter((ref): ref is unknown[] => Array.isArray(ref) && typeof ref[0] === "string")
    .map((ref) => [ref[0] as string, Number(ref[1] ?? 0)]);
}

/**
 * The node index of a layer's first call as Keras 3 numbers them: a nested Functional model starts from 1, its
 * node 0 being the one that links its own inputs to its outputs (functional.py's get_config and get_tensor).
 */
export function firstNode(entry: Json): number {
  return entry.class_name === "Functional" ? 1 : 0;
}

/**
 * The layers of a Functional config in the order Keras 3 lists them in `model.layers` — the order in which
 * saving_lib counts them into `layers/<class>[_k]` and in which the optimizer keeps their slots. Keras does not
 * keep the config's order: keras/src/ops/function.py's map_graph walks back from the outputs depth-first
 * (numbering each layer when first met), gives each call a depth (outputs 0; a call's inputs at least one
 * deeper; a layer as deep as its deepest call), then lists layers from the deepest down, ties in the order met.
 * Inputs the outputs do not reach come last at depth 0. Layers the walk never meets keep their config order
 * after the rest; refs to layers or nodes that do not exist are skipped (the graph builder reports them).
 *
 *   outputs ──► walk back ──► depth per call ──► sort layers by (depth desc, first met)
 */
export function kerasGraphOrder<Entry extends Json>(
  layers: readonly Entry[],
  inputLayers: unknown,
  outputLayers: unknown,
): Entry[] {
  const nameOf = (entry: Json, i: number) =>
    typeof entry.name === "string"
      ? entry.name
      : isPlainObject(entry.config) && typeof entry.config.name === "string"
        ? entry.config.name
        : `#${i}`;
  const byName = new Map<string, Entry>();
  layers.forEach((entry, i) => byName.set(nameOf(entry, i), entry));
  const key = (name: string, node: number) => `${name}\u0000${node}`;
  const inputKeys = new Set(endRefs(inputLayers).map(([name, node]) => key(name, node)));
  const parents = (name: string, node: number): [string, number][] => {
    const entry = byName.get(name);
    if (!entry || entry.class_name === "InputLayer" || !Array.isArray(entry.inbound_nodes)) return [];
    return nodeInputs(entry.inbound_nodes[node - firstNode(entry)]).filter(([parent]) => byName.has(parent));
  };
  const firstMet = new Map<string, number>();
  const finished = new Set<string>();
  const inProgress = new Set<string>();
  const decreasingDepth: [string, number][] = [];
  const visit = (name: string, node: number): void => {
    const id = key(name, node);
    if (finished.has(id) || inProgress.has(id) || !byName.has(name)) return;
    if (!firstMet.has(name)) firstMet.set(name, firstMet.size);
    inProgress.add(id);
    if (!inputKeys.has(id)) for (const [parent, parentNode] of parents(name, node)) visit(parent, parentNode);
    inProgress.delete(id);
    finished.add(id);
    decreasingDepth.push([name, node]);
  };
  for (const [name, node] of endRefs(outputLayers)) visit(name, node);
  const nodeDepth = new Map<string, number>();
  const layerDepth = new Map<string, number>();
  for (const [name, node] of [...decreasingDepth].reverse()) {
    const id = key(name, node);
    const depth = Math.max(nodeDepth.get(id) ?? 0, layerDepth.get(name) ?? 0);
    layerDepth.set(name, depth);
    nodeDepth.set(id, depth);
    if (inputKeys.has(id)) continue;
    for (const [parent, parentNode] of parents(name, node)) {
      const parentId = key(parent, parentNode);
      nodeDepth.set(parentId, Math.max(depth + 1, nodeDepth.get(parentId) ?? 0));
    }
  }
  for (const [name] of endRefs(inputLayers)) {
    if (byName.has(name) && !layerDepth.has(name)) {
      layerDepth.set(name, 0);
      firstMet.set(name, -1);
    }
  }
  const ordered = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || firstMet.get(a)! - firstMet.get(b)!,
  );
  const placed = new Set(ordered.map((name) => byName.get(name)!));
  return [...ordered.map((name) => byName.get(name)!), ...layers.filter((entry) => !placed.has(entry))];
}
