export { matMul } from "./matmul.js";
