// Learning-curve plots of fit's History: standalone functions (not History methods), so apps that never draw
// a chart leave them out of their bundle.
export { learningCurveSvg, type LearningCurveSvgOptions } from "./svg.js";
export { learningCurveText, type LearningCurveTextOptions } from "./text.js";
export type { HistoryLike, LearningCurveOptions } from "./curves.js";
