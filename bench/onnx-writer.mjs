// A Dense stack as an ONNX model (bytes), for onnxruntime-web to predict with the same weights as densa.
// Hand-encoded: only the protobuf subset the model needs (onnx/onnx.proto, IR version 8, opset 13):
//
//   ModelProto   1 ir_version  2 producer_name  7 graph  8 opset_import { 1 domain  2 version }
//   GraphProto   1 node  2 name  5 initializer  11 input  12 output
//   NodeProto    1 input  2 output  3 name  4 op_type
//   TensorProto  1 dims  2 data_type (1 = FLOAT)  8 name  9 raw_data (little-endian float32)
//   ValueInfoProto 1 name  2 type { 1 tensor_type { 1 elem_type  2 shape { 1 dim { 1 dim_value | 2 dim_param } } } }
//
// Each layer is Gemm(x, W, b) (alpha = beta = 1, no transposes: W is inputs × units as in Keras), then Relu or
// Softmax (opset 13: along the last axis) or nothing for a linear layer.

const VARINT = 0,
  BYTES = 2;

function varint(value) {
  const out = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // two's complement, as protobuf encodes negative int64
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const tag = (field, wire) => varint((field << 3) | wire);
const concat = (parts) => {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
const intField = (field, value) => Uint8Array.from([...tag(field, VARINT), ...varint(value)]);
const bytesField = (field, bytes) => concat([Uint8Array.from([...tag(field, BYTES), ...varint(bytes.length)]), bytes]);
const stringField = (field, text) => bytesField(field, new TextEncoder().encode(text));
const messageField = (field, parts) => bytesField(field, concat(parts));

function tensorProto(name, dims, values) {
  const raw = new Uint8Array(Float32Array.from(values).buffer); // x86 and ARM are little-endian, as ONNX wants
  return [...dims.map((dim) => intField(1, dim)), intField(2, 1), stringField(8, name), bytesField(9, raw)];
}

/** ValueInfoProto of a float tensor [batch, width] whose first dimension is symbolic. */
function valueInfo(name, width) {
  const batch = messageField(1, [stringField(2, "batch")]);
  const feature = messageField(1, [intField(1, width)]);
  const tensorType = messageField(1, [intField(1, 1), messageField(2, [batch, feature])]);
  return [stringField(1, name), messageField(2, [tensorType])];
}

const nodeProto = (op, inputs, outputs, name) => [
  ...inputs.map((input) => stringField(1, input)),
  ...outputs.map((output) => stringField(2, output)),
  stringField(3, name),
  stringField(4, op),
];

const ACTIVATIONS = { relu: "Relu", softmax: "Softmax", linear: null };

/**
 * layers: [{ kernel: Float32Array (inputs × units, row-major), bias: Float32Array (units), inputs, units,
 * activation: "relu" | "softmax" | "linear" }]. Returns the .onnx bytes; input "x" [batch, inputs], output "y".
 */
export function denseStackOnnx(layers) {
  const nodes = [],
    initializers = [];
  let current = "x";
  layers.forEach((layer, i) => {
    if (!(layer.activation in ACTIVATIONS))
      throw new Error(`onnx-writer: activation ${layer.activation} is not supported`);
    const last = i === layers.length - 1;
    const op = ACTIVATIONS[layer.activation];
    initializers.push(tensorProto(`W${i}`, [layer.inputs, layer.units], layer.kernel));
    initializers.push(tensorProto(`b${i}`, [layer.units], layer.bias));
    const gemmOut = last && !op ? "y" : `z${i}`;
    nodes.push(nodeProto("Gemm", [current, `W${i}`, `b${i}`], [gemmOut], `dense${i}`));
    current = gemmOut;
    if (op) {
      const out = last ? "y" : `a${i}`;
      nodes.push(nodeProto(op, [current], [out], `${op.toLowerCase()}${i}`));
      current = out;
    }
  });
  const graph = [
    ...nodes.map((node) => messageField(1, node)),
    stringField(2, "dense_stack"),
    ...initializers.map((tensor) => messageField(5, tensor)),
    messageField(11, valueInfo("x", layers[0].inputs)),
    messageField(12, valueInfo("y", layers[layers.length - 1].units)),
  ];
  return concat([
    intField(1, 8),
    stringField(2, "densa bench"),
    messageField(7, graph),
    messageField(8, [stringField(1, ""), intField(2, 13)]),
  ]);
}
