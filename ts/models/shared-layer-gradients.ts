import { getEngine } from "../engine/engine.js";
import type { Layer } from "../layers/layer.js";
import type { Variable } from "../layers/variable.js";
import { alignedSize } from "../layers/variable-block.js";

/**
 * The weight gradients of layers called at several nodes of a graph (shared weights): each call's backward
 * writes its gradients into the variables' grad blocks, so after each call they are added into sums here, and
 * once every call ran the sums go back to the variables. All sums sit in one block (a span per variable).
 */
export class SharedLayerGradients {
  private readonly variables = new Map<Layer, Variable[]>();
  /** Per layer, where each variable's sum starts (bytes into the block). */
  private readonly sums = new Map<Layer, number[]>();
  /** Layers whose sums started this backward. */
  private readonly started = new Set<Layer>();
  private block = 0;

  /** Lays out the sums of the trainable weights of `layers` (again after a `trainable` change). */
  plan(layers: readonly Layer[]): void {
    this.dispose();
    let floats = 0;
    const starts: [Layer, Variable[], number[]][] = [];
    for (const layer of layers) {
      const variables = layer.trainableWeights;
      const offsets = variables.map((variable) => {
        const offset = floats;
        floats += alignedSize(variable.size);
        return offset;
      });
      starts.push([layer, variables, offsets]);
    }
    if (floats > 0) this.block = getEngine().allocF32(floats);
    for (const [layer, variables, offsets] of starts) {
      this.variables.set(layer, variables);
      this.sums.set(
        layer,
        offsets.map((offset) => this.block + offset * 4),
      );
    }
  }

  /** After one call's backward of a shared layer: adds its weight gradients to the sums. */
  add(layer: Layer): void {
    const variables = this.variables.get(layer)!;
    const sums = this.sums.get(layer)!;
    const engine = getEngine();
    const first = !this.started.has(layer);
    this.started.add(layer);
    for (let i = 0; i < variables.length; i++) {
      const target = sums[i];
      const grad = variables[i].grad;
      if (first) engine.f32.copyWithin(target >>> 2, grad >>> 2, (grad >>> 2) + variables[i].size);
      else engine.kernels.addElementwise(target, grad, target, variables[i].size);
    }
  }

  /** Once every call of the shared layers ran backward: their summed gradients go to the variables. */
  finish(): void {
    if (this.started.size === 0) return;
    const engine = getEngine();
    for (const layer of this.started) {
      const variables = this.variables.get(layer)!;
      const sums = this.sums.get(layer)!;
      for (let i = 0; i < variables.length; i++) {
        const source = sums[i];
        engine.f32.copyWithin(variables[i].grad >>> 2, source >>> 2, (source >>> 2) + variables[i].size);
      }
    }
    this.started.clear();
  }

  dispose(): void {
    if (this.block) getEngine().free(this.block);
    this.block = 0;
    this.variables.clear();
    this.sums.clear();
    this.started.clear();
  }
}
