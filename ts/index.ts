export { init } from "./engine/engine.js";
