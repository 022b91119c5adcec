// Learning-curve plots of fit's History: standalone functions (not History methods), so apps that never draw
// a chart leave them out of their bundle.

export type { HistoryLike, LearningCurveOptions } from "./curves.js";
export { type LearningCurveSvgOptions, learningCurveSvg } from "./svg.js";
export { type LearningCurveTextOptions, learningCurveText } from "./text.js";
