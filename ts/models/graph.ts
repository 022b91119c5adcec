import { getEngine } from "../engine/engine.js";
import type { Layer } from "../layers/layer.js";
import { invalidateLayouts, RowBuffer } from "../layers/row-buffer.js";
import { type StepContext, stepContext } from "../layers/step-context.js";
import { ActivationPlan } from "./activation-plan.js";
import { type GraphNode, linearNodes } from "./graph-nodes.js";
import { type MultiOutputLayer, trainableLeaves } from "./model-layer.js";
import type { SharedLayerGradients } from "./shared-layer-gradients.js";
import { SlotGradients } from "./slot-gradients.js";

export type { GraphNode } from "./graph-nodes.js";

/**
 * A model's layer calls in topological order, and the step that walks them: forward in order, backward in
 * reverse, summing the gradients of a tensor that feeds several layers (keras/src/ops/function.py's idea:
 * tensors are slots, nodes read and write slots). Sequential is the linear case: slot i → layer i → slot i+1.
 *
 * Slots 0 … inputs−1 hold the model's inputs. NOTE: everything the per-step path touches is made ahead (pointer
 * arrays here; the layers' buffers, the gradient sums and the copies of shared layers' outputs placed by the
 * activation plan): forward and backward allocate nothing.
 */
export class Graph {
  /** Reused by every step: rows, training flag, generator. */
  readonly step: StepContext = stepContext();
  /** Where the activation buffers of a step of this graph (nested models' included) live, per batch size. */
  readonly plan: ActivationPlan;
  /** Distinct layers, in the order their first node runs. */
  readonly layers: readonly Layer[];
  private readonly values: number[];
  /** The gradients of the slots during backward. */
  private readonly slotGrads: SlotGradients;
  /** The graph's own activation buffers (gradient sums and zeros, shared-layer output copies), for the plan. */
  readonly ownBuffers: readonly RowBuffer[];
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
  /** The sums of a shared layer's weight gradients over its calls. */
  /**
   * The sums of shared layers' weight gradients; null when no layer runs at two nodes. NOTE: given by the
   * Functional code (graphFromTensors), the only maker of such graphs, so that a Sequential or inference-only
   * app does not carry it.
   */
  private readonly sharedGradients: SharedLayerGradients | null;
  private readonly sharedLayers: readonly Layer[];
  /** The node of each shared layer that ran last in forward (its state is the layer's current one). */
  private readonly lastCall: Map<Layer, number>;

  constructor(
    readonly inputCount: number,
    readonly nodes: readonly GraphNode[],
    readonly outputSlots: readonly number[],
    /** Values per sample of each slot. */
    readonly slotWidths: readonly number[],
    sharedGradients: SharedLayerGradients | null = null,
  ) {
    const slots = slotWidths.length;
    this.values = new Array<number>(slots).fill(0);
    this.needGrad = new Uint8Array(slots);
    const consumers = new Int32Array(slots);
    this.consumers = consumers;
    for (const node of nodes) for (const slot of node.inputSlots) consumers[slot]++;
    for (const slot of outputSlots) consumers[slot]++;
    this.slotGrads = new SlotGradients(nodes, outputSlots, slotWidths);
    this.nodeInputs = nodes.map((node) => new Array<number>(node.inputSlots.length).fill(0));
    this.nodeGrads = nodes.map((node) => new Array<number>(node.inputSlots.length).fill(0));
    this.nodeOutputGrads = nodes.map((node) => new Array<number>(node.outputSlots.length).fill(0));
    this.sharedOutputs = nodes.map((node) =>
      node.shared ? node.outputSlots.map((slot) => new RowBuffer(slotWidths[slot])) : null,
    );
    this.ownBuffers = [...this.slotGrads.buffers, ...this.sharedOutputs.flatMap((copies) => copies ?? [])];
    const layers: Layer[] = [];
    for (const node of nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    this.layers = layers;
    this.sharedLayers = layers.filter((layer) => nodes.some((node) => node.shared && node.layer === layer));
    if (this.sharedLayers.length > 0 && !sharedGradients)
      throw new Error("Graph: shared layers need their gradient sums");
    this.sharedGradients = sharedGradients;
    this.plan = new ActivationPlan(this);
    this.trainableWatch = layers.flatMap(trainableLeaves);
    this.trainableSeen = new Uint8Array(this.trainableWatch.length);
    this.lastCall = new Map();
    this.deriveNeedGrad();
  }

  /** The linear graph of a Sequential model's layers (InputLayers pass through and are left out). */
  static linear(layers: readonly Layer[], inputShape: readonly number[]): Graph {
    const { inputCount, nodes, outputSlots, slotWidths } = linearNodes(layers, inputShape);
    return new Graph(inputCount, nodes, outputSlots, slotWidths);
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

  /**
   * A model's own step (not a model nested in another): places the activation buffers for `rows` samples
   * (allocating only the first time a batch size class is seen), then runs forward.
   */
  run(inputs: readonly number[], rows: number, training: boolean): number {
    const step = this.step;
    step.rows = rows;
    step.training = training;
    this.plan.bind(rows, training);
    return this.forward(inputs);
  }

  /**
   * Runs every node on the batch at `inputs` (one pointer per model input) in `step`: this graph's own context
   * (see run), or the outer step's for a model nested in another.
   */
  forward(inputs: readonly number[], step: StepContext = this.step): number {
    const values = this.values;
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
        const f32 = getEngine().f32;
        for (let k = 0; k < slots.length; k++) {
          const output = values[slots[k]];
          const target = copies[k].ensure(step.rows);
          f32.copyWithin(target >>> 2, output >>> 2, (output >>> 2) + step.rows * this.slotWidths[slots[k]]);
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
    this.sharedGradients?.plan(this.sharedLayers);
    for (const node of this.nodes) {
      const upstream = node.inputSlots.some((slot) => this.needGrad[slot] === 1);
      const need = upstream || node.layer.trainableWeights.length > 0 ? 1 : 0;
      for (const slot of node.outputSlots) this.needGrad[slot] = need;
    }
    // NOTE: which layers need the gradients of their inputs decides what the training blocks hold.
    invalidateLayouts();
  }

  /** Whether node `index`'s backward is asked for the gradients of its inputs (some input slot needs one). */
  needsInputGradient(index: number): boolean {
    for (const slot of this.nodes[index].inputSlots) if (this.needGrad[slot] === 1) return true;
    return false;
  }

  /** From now on, backward also computes the gradients of the model's inputs (see inputGradient). */
  computeInputGradients(): void {
    if (this.inputGradientsWanted) return;
    this.inputGradientsWanted = true;
    this.deriveNeedGrad();
  }

  /** After backward (with computeInputGradients): the pointer of the gradient of input `index`, or 0 when none reached it. */
  inputGradient(index: number): number {
    return this.slotGrads.reached(index) ? this.slotGrads.gradient(index) : 0;
  }

  /**
   * Backpropagates from the gradients of the outputs (one pointer per output, as the loss wrote them): weight
   * gradients into each variable's grad block, summed over a shared layer's calls.
   */
  backward(outputGrads: readonly number[], step: StepContext = this.step): void {
    const slotGrads = this.slotGrads;
    slotGrads.reset();
    const rows = step.rows;
    for (let k = 0; k < this.outputSlots.length; k++) slotGrads.contribute(this.outputSlots[k], outputGrads[k], rows);
    for (let n = this.nodes.length - 1; n >= 0; n--) {
      const node = this.nodes[n];
      if (this.needGrad[node.outputSlot] === 0) continue;
      const slots = node.outputSlots;
      let reached = false;
      for (let k = 0; k < slots.length; k++) reached ||= slotGrads.reached(slots[k]);
      if (!reached) continue;
      const args = this.nodeInputs[n];
      if (node.shared && this.lastCall.get(node.layer) !== n) {
        // NOTE: the layer's cached state (its input, pre-activations) belongs to its last call: run this call
        // again to restore it. Layers that draw random numbers or update statistics cannot be shared (see Model).
        node.layer.forwardNode(args, step);
        this.lastCall.set(node.layer, n);
      }
      const needInput = this.needsInputGradient(n);
      const inputGrads = this.nodeGrads[n];
      if (slots.length > 1) {
        const grads = this.nodeOutputGrads[n];
        for (let k = 0; k < slots.length; k++) grads[k] = slotGrads.gradientOrZero(slots[k], rows);
        (node.layer as unknown as MultiOutputLayer).backwardOutputs(grads, step, needInput, inputGrads);
      } else node.layer.backwardNode(slotGrads.gradient(node.outputSlot), step, needInput, inputGrads);
      if (node.shared) this.sharedGradients?.add(node.layer);
      if (!needInput) continue;
      for (let k = 0; k < inputGrads.length; k++) {
        if (this.needGrad[node.inputSlots[k]] === 1) slotGrads.contribute(node.inputSlots[k], inputGrads[k], rows);
      }
    }
    this.sharedGradients?.finish();
  }

  dispose(): void {
    this.plan.dispose();
    for (const buffer of this.ownBuffers) buffer.dispose();
    this.sharedGradients?.dispose();
  }
}
