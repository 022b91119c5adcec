import { getEngine } from "../engine/engine.js";
import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import { RowBuffer } from "../layers/row-buffer.js";
import { type StepContext, stepContext } from "../layers/step-context.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import type { Variable } from "../layers/variable.js";
import { shapeSize } from "../utils/shape.js";
import { type MultiOutputLayer, trainableLeaves } from "./model-layer.js";
import { topologicalOrder } from "./topological-order.js";

/** One layer call of the graph: reads the tensors in `inputSlots`, writes the tensor in `outputSlot`. */
export interface GraphNode {
  readonly layer: Layer;
  readonly inputSlots: readonly number[];
  readonly outputSlot: number;
  /** Every output's slot (`outputSlot` first): more than one for a model of several outputs used as a layer. */
  readonly outputSlots: readonly number[];
  /** The same layer runs at other nodes too (shared weights). */
  readonly shared: boolean;
}

/**
 * A model's layer calls in topological order, and the step that walks them: forward in order, backward in
 * reverse, summing the gradients of a tensor that feeds several layers (keras/src/ops/function.py's idea:
 * tensors are slots, nodes read and write slots). Sequential is the linear case: slot i → layer i → slot i+1.
 *
 * Slots 0 … inputs−1 hold the model's inputs. NOTE: everything the per-step path touches is preallocated
 * here (pointer arrays, gradient sums, copies of shared layers' outputs): forward and backward allocate nothing.
 */
export class Graph {
  /** Reused by every step: rows, training flag, generator. */
  readonly step: StepContext = stepContext();
  /** Distinct layers, in the order their first node runs. */
  readonly layers: readonly Layer[];
  private readonly values: number[];
  private readonly grads: number[];
  /** How many gradient contributions each slot got this backward (0: none yet). */
  private readonly contributions: Int32Array;
  /** Slots that sum several contributions (fan-out, shared-layer inputs, outputs also read by layers). */
  private readonly sums: (RowBuffer | null)[];
  private readonly needGrad: Uint8Array;
  /** How many nodes (and outputs) read each slot. */
  private readonly consumers: Int32Array;
  private readonly trainableSeen: Uint8Array;
  /** The layers whose `trainable` flags decide the gradients: the graph's, and a nested model's, recursively. */
  private readonly trainableWatch: readonly Layer[];
  /** Whether backward also computes the gradients of the model's inputs (a model nested in another). */
  private inputGradientsWanted = false;
  private readonly nodeInputs: number[][];
  private readonly nodeGrads: number[][];
  /** Per node, the gradients of its outputs handed to a several-output layer. */
  private readonly nodeOutputGrads: number[][];
  /** Copies of a shared layer's outputs per node (its own buffers are rewritten by its next call). */
  private readonly sharedOutputs: (RowBuffer[] | null)[];
  /** Zero gradients for the outputs of a several-output node that nothing downstream reads (made on first use). */
  private readonly zeroGrads: (RowBuffer | null)[];
  /** A shared layer's trainable weights, and the sums of their gradients over its calls. */
  private readonly sharedVariables = new Map<Layer, Variable[]>();
  private readonly sharedGradSums = new Map<Layer, RowBuffer[]>();
  /** Shared layers whose gradient sums started this backward. */
  private readonly sharedStarted = new Set<Layer>();
  /** The node of each shared layer that ran last in forward (its state is the layer's current one). */
  private readonly lastCall: Map<Layer, number>;

  constructor(
    readonly inputCount: number,
    readonly nodes: readonly GraphNode[],
    readonly outputSlots: readonly number[],
    /** Values per sample of each slot. */
    readonly slotWidths: readonly number[],
  ) {
    const slots = slotWidths.length;
    this.values = new Array<number>(slots).fill(0);
    this.grads = new Array<number>(slots).fill(0);
    this.contributions = new Int32Array(slots);
    this.needGrad = new Uint8Array(slots);
    const consumers = new Int32Array(slots);
    this.consumers = consumers;
    const sharedConsumer = new Uint8Array(slots);
    for (const node of nodes) {
      for (const slot of node.inputSlots) {
        consumers[slot]++;
        if (node.shared) sharedConsumer[slot] = 1;
      }
    }
    for (const slot of outputSlots) consumers[slot]++;
    // NOTE: input slots too: a nested model's input that feeds several layers sums their gradients.
    this.sums = slotWidths.map((width, slot) =>
      consumers[slot] > 1 || sharedConsumer[slot] ? new RowBuffer(width) : null,
    );
    this.nodeInputs = nodes.map((node) => new Array<number>(node.inputSlots.length).fill(0));
    this.nodeGrads = nodes.map((node) => new Array<number>(node.inputSlots.length).fill(0));
    this.nodeOutputGrads = nodes.map((node) => new Array<number>(node.outputSlots.length).fill(0));
    this.sharedOutputs = nodes.map((node) =>
      node.shared ? node.outputSlots.map((slot) => new RowBuffer(slotWidths[slot])) : null,
    );
    this.zeroGrads = slotWidths.map(() => null);
    const layers: Layer[] = [];
    for (const node of nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    this.layers = layers;
    this.trainableWatch = layers.flatMap(trainableLeaves);
    this.trainableSeen = new Uint8Array(this.trainableWatch.length);
    this.lastCall = new Map();
    this.deriveNeedGrad();
  }

  /** The linear graph of a Sequential model's layers (InputLayers pass through and are left out). */
  static linear(layers: readonly Layer[], inputShape: readonly number[]): Graph {
    const running = layers.filter((layer) => !(layer instanceof InputLayer));
    const widths = [shapeSize(inputShape)];
    const nodes = running.map((layer, i) => {
      widths.push(shapeSize(layer.outputShape));
      return { layer, inputSlots: [i], outputSlot: i + 1, outputSlots: [i + 1], shared: false };
    });
    return new Graph(1, nodes, [nodes.length], widths);
  }

  /**
   * The graph from symbolic inputs to outputs (a Functional model): the nodes the outputs need, in topological
   * order. Throws when an output needs an Input that is not among `inputs` (Keras's "graph disconnected").
   */
  static fromTensors(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], fn: string): Graph {
    const slotOf = new Map<SymbolicTensor, number>();
    const widths: number[] = [];
    inputs.forEach((tensor, i) => {
      slotOf.set(tensor, i);
      widths.push(shapeSize(tensor.shape));
    });
    // NOTE: one node per call: the outputs of a several-output model's call are one node with a slot each.
    const ordered = [...new Set(topologicalOrder(outputs, new Set(inputs), fn).map((tensor) => tensor.call))];
    const calls = new Map<Layer, number>();
    for (const call of ordered) calls.set(call.layer, (calls.get(call.layer) ?? 0) + 1);
    const nodes: GraphNode[] = ordered.map((call) => {
      const outputSlots = call.outputsOfCall.map((tensor) => {
        slotOf.set(tensor, widths.length);
        return widths.push(shapeSize(tensor.shape)) - 1;
      });
      return {
        layer: call.layer,
        inputSlots: call.inputs.map((input) => slotOf.get(input)!),
        outputSlot: outputSlots[0],
        outputSlots,
        shared: calls.get(call.layer)! > 1,
      };
    });
    return new Graph(
      inputs.length,
      nodes,
      outputs.map((tensor) => slotOf.get(tensor)!),
      widths,
    );
  }

  /** The layer that computes output `index` (null when an output is a model input). */
  outputLayer(index: number): Layer | null {
    const slot = this.outputSlots[index];
    return this.nodes.find((node) => node.outputSlots.includes(slot))?.layer ?? null;
  }

  /**
   * Whether the loss alone reads output `index`, from a layer called once: then the loss may hand that layer
   * the gradient of its pre-activation (a fused loss path) instead of the gradient of its output.
   */
  isPlainOutput(index: number): boolean {
    const slot = this.outputSlots[index];
    const node = this.nodes.find((candidate) => candidate.outputSlot === slot);
    return node !== undefined && !node.shared && node.outputSlots.length === 1 && this.consumers[slot] === 1;
  }

  /** The pointer of output `index` after forward. */
  output(index: number): number {
    return this.values[this.outputSlots[index]];
  }

  /** Runs every node on the batch at `inputs` (one pointer per model input); step.rows / training set by the caller. */
  forward(inputs: readonly number[]): number {
    const values = this.values;
    const step = this.step;
    for (let i = 0; i < this.inputCount; i++) values[i] = inputs[i];
    for (let n = 0; n < this.nodes.length; n++) {
      const node = this.nodes[n];
      const args = this.nodeInputs[n];
      for (let k = 0; k < args.length; k++) args[k] = values[node.inputSlots[k]];
      values[node.outputSlot] = node.layer.forwardNode(args, step);
      const slots = node.outputSlots;
      for (let k = 1; k < slots.length; k++)
        values[slots[k]] = (node.layer as unknown as MultiOutputLayer).nodeOutput(k);
      const copies = this.sharedOutputs[n];
      if (copies) {
        for (let k = 0; k < slots.length; k++) {
          const output = values[slots[k]];
          const target = copies[k].ensure(step.rows);
          getEngine().f32.copyWithin(
            target >>> 2,
            output >>> 2,
            (output >>> 2) + step.rows * this.slotWidths[slots[k]],
          );
          values[slots[k]] = target;
        }
        this.lastCall.set(node.layer, n);
      }
    }
    return values[this.outputSlots[0]];
  }

  /**
   * Re-derives which slots need a gradient when a layer's `trainable` changed (one flag compare per layer a
   * step; Keras reads trainable_variables every step). Returns true when something changed.
   */
  refreshTrainable(): boolean {
    let changed = false;
    for (let i = 0; i < this.trainableWatch.length; i++) {
      const flag = this.trainableWatch[i].trainable ? 1 : 2;
      if (this.trainableSeen[i] !== flag) changed = true;
    }
    if (changed) this.deriveNeedGrad();
    return changed;
  }

  /** Whether any node computes a gradient (some trainable weight sits in the graph). */
  get hasTrainable(): boolean {
    return this.outputSlots.some((slot) => this.needGrad[slot] === 1);
  }

  private deriveNeedGrad(): void {
    this.trainableWatch.forEach((layer, i) => {
      this.trainableSeen[i] = layer.trainable ? 1 : 2;
    });
    this.needGrad.fill(0);
    if (this.inputGradientsWanted) this.needGrad.fill(1, 0, this.inputCount);
    this.sharedVariables.clear();
    for (const node of this.nodes) {
      if (!node.shared || this.sharedVariables.has(node.layer)) continue;
      const variables = node.layer.trainableWeights;
      const sums = this.sharedGradSums.get(node.layer) ?? [];
      for (const sum of sums) sum.dispose();
      this.sharedVariables.set(node.layer, variables);
      this.sharedGradSums.set(
        node.layer,
        variables.map((variable) => {
          const sum = new RowBuffer(variable.size);
          sum.ensure(1);
          return sum;
        }),
      );
    }
    for (const node of this.nodes) {
      const upstream = node.inputSlots.some((slot) => this.needGrad[slot] === 1);
      const need = upstream || node.layer.trainableWeights.length > 0 ? 1 : 0;
      for (const slot of node.outputSlots) this.needGrad[slot] = need;
    }
  }

  /** From now on, backward also computes the gradients of the model's inputs (see inputGradient). */
  computeInputGradients(): void {
    if (this.inputGradientsWanted) return;
    this.inputGradientsWanted = true;
    this.deriveNeedGrad();
  }

  /** After backward (with computeInputGradients): the pointer of the gradient of input `index`, or 0 when none reached it. */
  inputGradient(index: number): number {
    return this.contributions[index] > 0 ? this.grads[index] : 0;
  }

  /**
   * Backpropagates from the gradients of the outputs (one pointer per output, as the loss wrote them): weight
   * gradients into each variable's grad block, summed over a shared layer's calls.
   */
  backward(outputGrads: readonly number[]): void {
    this.contributions.fill(0);
    for (let k = 0; k < this.outputSlots.length; k++) this.contribute(this.outputSlots[k], outputGrads[k]);
    const step = this.step;
    for (let n = this.nodes.length - 1; n >= 0; n--) {
      const node = this.nodes[n];
      if (this.needGrad[node.outputSlot] === 0) continue;
      const slots = node.outputSlots;
      let reached = 0;
      for (let k = 0; k < slots.length; k++) reached += this.contributions[slots[k]];
      if (reached === 0) continue;
      const args = this.nodeInputs[n];
      if (node.shared && this.lastCall.get(node.layer) !== n) {
        // NOTE: the layer's cached state (its input, pre-activations) belongs to its last call: run this call
        // again to restore it. Layers that draw random numbers or update statistics cannot be shared (see Model).
        node.layer.forwardNode(args, step);
        this.lastCall.set(node.layer, n);
      }
      let needInput = false;
      for (const slot of node.inputSlots) if (this.needGrad[slot] === 1) needInput = true;
      const inputGrads = this.nodeGrads[n];
      if (slots.length > 1) {
        const grads = this.nodeOutputGrads[n];
        for (let k = 0; k < slots.length; k++) grads[k] = this.gradientOrZero(slots[k]);
        (node.layer as unknown as MultiOutputLayer).backwardOutputs(grads, step, needInput, inputGrads);
      } else node.layer.backwardNode(this.grads[node.outputSlot], step, needInput, inputGrads);
      if (node.shared) this.sumSharedGradients(node.layer);
      if (!needInput) continue;
      for (let k = 0; k < inputGrads.length; k++) {
        if (this.needGrad[node.inputSlots[k]] === 1) this.contribute(node.inputSlots[k], inputGrads[k]);
      }
    }
    if (this.sharedStarted.size > 0) this.finishSharedGradients();
  }

  /** Adds one gradient of a slot: passed on as is when it is the slot's only one, else summed in its buffer. */
  private contribute(slot: number, grad: number): void {
    const sum = this.sums[slot];
    const count = this.contributions[slot]++;
    if (!sum) {
      this.grads[slot] = grad;
      return;
    }
    const size = this.step.rows * this.slotWidths[slot];
    const engine = getEngine();
    const target = sum.ensure(this.step.rows);
    if (count === 0) engine.f32.copyWithin(target >>> 2, grad >>> 2, (grad >>> 2) + size);
    else engine.kernels.addElementwise(target, grad, target, size);
    this.grads[slot] = target;
  }

  /**
   * The gradient of a slot, or zeros when nothing downstream read it (an unused output of a several-output node:
   * its layers then get zero gradients, as Keras's are for a loss that does not depend on them).
   */
  private gradientOrZero(slot: number): number {
    if (this.contributions[slot] > 0) return this.grads[slot];
    const zeros = (this.zeroGrads[slot] ??= new RowBuffer(this.slotWidths[slot]));
    const ptr = zeros.ensure(this.step.rows);
    getEngine().f32.fill(0, ptr >>> 2, (ptr >>> 2) + this.step.rows * this.slotWidths[slot]);
    return ptr;
  }

  /** After one call's backward of a shared layer: adds its weight gradients to the sums of its later calls. */
  private sumSharedGradients(layer: Layer): void {
    const variables = this.sharedVariables.get(layer)!;
    const sums = this.sharedGradSums.get(layer)!;
    const engine = getEngine();
    const first = !this.sharedStarted.has(layer);
    this.sharedStarted.add(layer);
    for (let i = 0; i < variables.length; i++) {
      const target = sums[i].ptr;
      const grad = variables[i].grad;
      if (first) engine.f32.copyWithin(target >>> 2, grad >>> 2, (grad >>> 2) + variables[i].size);
      else engine.kernels.addElementwise(target, grad, target, variables[i].size);
    }
  }

  /** Once every call of the shared layers ran backward: their summed gradients go to the variables. */
  private finishSharedGradients(): void {
    const engine = getEngine();
    for (const layer of this.sharedStarted) {
      const variables = this.sharedVariables.get(layer)!;
      const sums = this.sharedGradSums.get(layer)!;
      for (let i = 0; i < variables.length; i++) {
        const source = sums[i].ptr;
        engine.f32.copyWithin(variables[i].grad >>> 2, source >>> 2, (source >>> 2) + variables[i].size);
      }
    }
    this.sharedStarted.clear();
  }

  dispose(): void {
    for (const sum of this.sums) sum?.dispose();
    for (const copies of this.sharedOutputs) for (const copy of copies ?? []) copy.dispose();
    for (const zeros of this.zeroGrads) zeros?.dispose();
    for (const sums of this.sharedGradSums.values()) for (const sum of sums) sum.dispose();
    this.sharedGradSums.clear();
  }
}
