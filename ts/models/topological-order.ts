import type { SymbolicTensor } from "../layers/symbolic-tensor.js";

/**
 * The nodes between `inputs` and `outputs`, each after the nodes it reads (depth-first from the outputs).
 * An InputLayer tensor that is not among `inputs` is an error naming it.
 */
export function topologicalOrder(
  outputs: readonly SymbolicTensor[],
  inputs: ReadonlySet<SymbolicTensor>,
  fn: string,
): SymbolicTensor[] {
  const order: SymbolicTensor[] = [];
  const done = new Set<SymbolicTensor>();
  const visiting = new Set<SymbolicTensor>();
  const visit = (tensor: SymbolicTensor): void => {
    if (done.has(tensor) || inputs.has(tensor)) return;
    if (visiting.has(tensor)) throw new Error(`${fn}: the graph has a cycle through layer "${tensor.layer.name}"`);
    if (tensor.inputs.length === 0) {
      throw new Error(
        `${fn}: the outputs depend on the input "${tensor.layer.name}" (shape ${JSON.stringify(tensor.batchShape)}), which is not in inputs; ` +
          `pass every Input the outputs are computed from (Keras: "graph disconnected")`,
      );
    }
    visiting.add(tensor);
    for (const input of tensor.inputs) visit(input);
    visiting.delete(tensor);
    done.add(tensor);
    order.push(tensor);
  };
  for (const output of outputs) visit(output);
  return order;
}
