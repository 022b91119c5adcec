import { getEngine } from "../engine/engine.js";
import { checkOptionKeys } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { checkFinite, Initializer } from "./initializer.js";

export class Constant extends Initializer {
  readonly className: string = "Constant";
  readonly value: number;
  constructor(options: { value?: number } = {}) {
    super();
    checkOptionKeys("Constant", options, ["value"]);
    const { value = 0 } = options;
    this.value = checkFinite(value, "constant: value");
  }
  fill(ptr: number, shape: readonly number[]): void {
    getEngine().view(ptr, shapeSize(shape)).fill(this.value);
  }
  override getConfig() {
    return { className: this.className, config: { value: this.value } };
  }
}

export class Zeros extends Initializer {
  readonly className = "Zeros";
  fill(ptr: number, shape: readonly number[]): void {
    getEngine().view(ptr, shapeSize(shape)).fill(0);
  }
}

export class Ones extends Initializer {
  readonly className = "Ones";
  fill(ptr: number, shape: readonly number[]): void {
    getEngine().view(ptr, shapeSize(shape)).fill(1);
  }
}

/** gain × the identity matrix (2-D weights only), as Keras's Identity. */
export class Identity extends Initializer {
  readonly className = "Identity";
  readonly gain: number;
  constructor(options: { gain?: number } = {}) {
    super();
    checkOptionKeys("Identity", options, ["gain"]);
    const { gain = 1 } = options;
    this.gain = checkFinite(gain, "identity: gain");
  }
  fill(ptr: number, shape: readonly number[]): void {
    if (shape.length !== 2) {
      throw new Error(`identity: the weight must be 2-D, got shape [${shape.join(", ")}]`);
    }
    const [rows, cols] = shape;
    const view = getEngine().view(ptr, rows * cols);
    view.fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) view[i * cols + i] = this.gain;
  }
  override getConfig() {
    return { className: this.className, config: { gain: this.gain } };
  }
}
