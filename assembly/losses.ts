// Loss kernels: Keras 3 losses (keras/src/losses/losses.py) forward and backward, for a batch of `rows` samples
// × `cols` outputs, row-major float32.
//
// Memory a call reads and writes (byte pointers; 0 = absent where allowed):
//   yPred          rows×cols f32   predictions: probabilities, logits or values, as the kind says
//   yTrue          rows×cols f32   targets — or, for the two sparse kinds, rows int32 class indices
//   sampleWeights  rows f32 or 0   Keras's sample_weight × class_weight per sample; 0 = every weight is 1
//   perSampleOut   rows f32 or 0   forward: lᵢ, the UNWEIGHTED per-sample loss (Keras's reduction=None is wᵢ·lᵢ)
//   dPred          rows×cols f32   backward output; may alias yPred (never yTrue)
//
// Per-sample loss lᵢ is Keras's per-sample value: the mean over the row of the elementwise loss (MSE, MAE,
// Huber, BCE, MAPE, MSLE, hinge, squared hinge, log-cosh, Poisson), the sum (KL divergence), or the row-wise
// value (categorical CE: −Σⱼ tⱼ·log qⱼ; categorical hinge; cosine similarity).
//
//   lossForward(...)  = Σᵢ wᵢ·lᵢ / rows      Keras 3's default reduction "sum_over_batch_size" (0 when rows = 0).
//                                            Summed in float64 in row order: the result depends only on sizes.
//   lossBackward(...) : dPred[i, j] = scale · wᵢ · ∂lᵢ/∂yPred[i, j]
//                       so scale = 1/rows gives the gradient of lossForward; the caller folds in any other
//                       normaliser. For the *_FROM_LOGITS kinds yPred are logits and dPred is w.r.t. the logits.
//                       Where Keras clips (probabilities to [ε, 1 − ε], denominators to ≥ ε) the gradient is
//                       TF's: zero outside the clip range, passed through inside and on its edges.
//   softmaxCrossEntropyBackward(...) : for a softmax output layer with (sparse) categorical CE, the gradient
//                       w.r.t. the layer's logits straight from its probabilities: scale·wᵢ·(p·Σt − t).
//
// param: Huber's delta (Keras default 1.0); ignored by the other kinds.
// labelSmoothing: BCE kinds use t·(1 − ls) + 0.5·ls; dense categorical CE kinds t·(1 − ls) + ls/cols; the
// others ignore it (Keras's sparse CE has none). Hinge and squared hinge map targets to ±1 when every target in
// the batch is 0 or 1 (Keras's convert_binary_labels_to_hinge). ε = keras.backend.epsilon() = 1e-7.
import {
  LOSS_HUBER, LOSS_BINARY_CROSSENTROPY, LOSS_BINARY_CROSSENTROPY_FROM_LOGITS, LOSS_CATEGORICAL_CROSSENTROPY,
  LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS, LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
  LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS, LOSS_HINGE, LOSS_SQUARED_HINGE, LOSS_CATEGORICAL_HINGE,
  LOSS_COSINE_SIMILARITY,
} from "./losses-kinds";
import { elementwiseForward, elementwiseBackward, allBinaryLabels } from "./losses-elementwise";
import {
  categoricalForward, categoricalBackward, sparseForward, sparseBackward, softmaxCrossEntropyBackwardRows,
} from "./losses-categorical";
import { categoricalHingeForward, categoricalHingeBackward, cosineForward, cosineBackward } from "./losses-rowwise";

export * from "./losses-kinds";

// Targets enter the elementwise and categorical kernels as t·targetScale(…) + targetShift(…): label smoothing,
// or hinge's {0, 1} → {−1, 1} when `binaryHinge` (every target of the batch is 0 or 1).
@inline function isBinaryHinge(kind: i32, rows: i32, cols: i32, yTrue: usize): bool {
  return (kind == LOSS_HINGE || kind == LOSS_SQUARED_HINGE) && allBinaryLabels(rows * cols, yTrue);
}

function targetScale(kind: i32, labelSmoothing: f32, binaryHinge: bool): f32 {
  if (binaryHinge) return 2;
  const smoothed = kind == LOSS_BINARY_CROSSENTROPY || kind == LOSS_BINARY_CROSSENTROPY_FROM_LOGITS
    || kind == LOSS_CATEGORICAL_CROSSENTROPY || kind == LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
  return smoothed ? 1 - labelSmoothing : 1;
}

function targetShift(kind: i32, cols: i32, labelSmoothing: f32, binaryHinge: bool): f32 {
  if (binaryHinge) return -1;
  if (kind == LOSS_BINARY_CROSSENTROPY || kind == LOSS_BINARY_CROSSENTROPY_FROM_LOGITS) return 0.5 * labelSmoothing;
  if (kind == LOSS_CATEGORICAL_CROSSENTROPY || kind == LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS) {
    return labelSmoothing / <f32>cols;
  }
  return 0;
}

/** Σᵢ wᵢ·lᵢ / rows (Keras "sum_over_batch_size"); writes lᵢ to perSampleOut when perSampleOut != 0. */
export function lossForward(
  kind: i32, rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, perSampleOut: usize,
  param: f32, labelSmoothing: f32,
): f32 {
  if (rows <= 0) return 0;
  let total: f64;
  switch (kind) {
    case LOSS_CATEGORICAL_CROSSENTROPY:
    case LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: {
      total = categoricalForward(rows, cols, yPred, yTrue, sampleWeights, perSampleOut,
        targetScale(kind, labelSmoothing, false), targetShift(kind, cols, labelSmoothing, false),
        kind == LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS);
      break;
    }
    case LOSS_SPARSE_CATEGORICAL_CROSSENTROPY:
    case LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: {
      total = sparseForward(rows, cols, yPred, yTrue, sampleWeights, perSampleOut,
        kind == LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS);
      break;
    }
    case LOSS_CATEGORICAL_HINGE: {
      total = categoricalHingeForward(rows, cols, yPred, yTrue, sampleWeights, perSampleOut);
      break;
    }
    case LOSS_COSINE_SIMILARITY: {
      total = cosineForward(rows, cols, yPred, yTrue, sampleWeights, perSampleOut);
      break;
    }
    default: {
      const binaryHinge = isBinaryHinge(kind, rows, cols, yTrue);
      total = elementwiseForward(kind, rows, cols, yPred, yTrue, sampleWeights, perSampleOut,
        kind == LOSS_HUBER ? param : 0, targetScale(kind, labelSmoothing, binaryHinge),
        targetShift(kind, cols, labelSmoothing, binaryHinge));
    }
  }
  return <f32>(total / <f64>rows);
}

/** dPred[i, j] = scale·wᵢ·∂lᵢ/∂yPred[i, j] (w.r.t. the logits for the *_FROM_LOGITS kinds). */
export function lossBackward(
  kind: i32, rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, dPred: usize,
  param: f32, labelSmoothing: f32, scale: f32,
): void {
  switch (kind) {
    case LOSS_CATEGORICAL_CROSSENTROPY:
    case LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: {
      categoricalBackward(rows, cols, yPred, yTrue, sampleWeights, dPred,
        targetScale(kind, labelSmoothing, false), targetShift(kind, cols, labelSmoothing, false), scale,
        kind == LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS);
      break;
    }
    case LOSS_SPARSE_CATEGORICAL_CROSSENTROPY:
    case LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: {
      sparseBackward(rows, cols, yPred, yTrue, sampleWeights, dPred, scale,
        kind == LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS);
      break;
    }
    case LOSS_CATEGORICAL_HINGE: {
      categoricalHingeBackward(rows, cols, yPred, yTrue, sampleWeights, dPred, scale);
      break;
    }
    case LOSS_COSINE_SIMILARITY: {
      cosineBackward(rows, cols, yPred, yTrue, sampleWeights, dPred, scale);
      break;
    }
    default: {
      const binaryHinge = isBinaryHinge(kind, rows, cols, yTrue);
      elementwiseBackward(kind, rows, cols, yPred, yTrue, sampleWeights, dPred,
        kind == LOSS_HUBER ? param : 0, targetScale(kind, labelSmoothing, binaryHinge),
        targetShift(kind, cols, labelSmoothing, binaryHinge), scale);
    }
  }
}

/**
 * dLogits[i, j] = scale·wᵢ·(probs[i, j]·Tᵢ − tᵢⱼ), Tᵢ = Σⱼ tᵢⱼ: the gradient w.r.t. the logits of a softmax layer
 * whose probabilities `probs` feed categorical CE (sparseLabels = 0, yTrue one-hot rows, label smoothing as
 * LOSS_CATEGORICAL_CROSSENTROPY) or sparse categorical CE (sparseLabels = 1, yTrue int32 labels, no smoothing).
 * It equals the softmax Jacobian times the CE gradient, which the layer can therefore skip. May alias probs.
 */
export function softmaxCrossEntropyBackward(
  rows: i32, cols: i32, probs: usize, yTrue: usize, sparseLabels: i32, sampleWeights: usize, dLogits: usize,
  labelSmoothing: f32, scale: f32,
): void {
  const sparse = sparseLabels != 0;
  const kind = sparse ? LOSS_SPARSE_CATEGORICAL_CROSSENTROPY : LOSS_CATEGORICAL_CROSSENTROPY;
  softmaxCrossEntropyBackwardRows(rows, cols, probs, yTrue, sparse, sampleWeights, dLogits,
    targetScale(kind, labelSmoothing, false), targetShift(kind, cols, labelSmoothing, false), scale);
}
