// A small SVG line chart for learning curves: x = epochs, y = a metric, one path a series, linear or log y.
// Written for the playground (no plotting library): render() rebuilds the SVG from the points each time,
// which at a few hundred points a frame costs well under a millisecond.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 480;
const HEIGHT = 230;
const MARGIN = { left: 52, right: 14, top: 26, bottom: 34 };

/**
 * `svg`: an <svg> element to draw into. `series`: [{ key, label, color, dashed? }]. `fixedRange`: [min, max]
 * for the y axis (accuracy), else it follows the data. Returns { render(points, xMax), setLogScale(on) }, where
 * points maps a series key to [[x, y], …].
 */
export function createChart(svg, { title, series, fixedRange }) {
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("role", "img");
  let logScale = false;
  let last = { points: {}, xMax: 1 };

  function render(points = last.points, xMax = last.xMax) {
    last = { points, xMax };
    svg.dataset.scale = logScale ? "log" : "linear";
    svg.replaceChildren();
    const values = series
      .flatMap(({ key }) => (points[key] ?? []).map(([, y]) => y))
      .filter((y) => Number.isFinite(y) && (!logScale || y > 0));
    const [yMin, yMax] = yDomain(values);
    const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const toX = (x) => MARGIN.left + (x / Math.max(xMax, 1e-9)) * plotWidth;
    const scaled = (y) => (logScale ? Math.log10(y) : y);
    const toY = (y) => MARGIN.top + (1 - (scaled(y) - scaled(yMin)) / (scaled(yMax) - scaled(yMin) || 1)) * plotHeight;

    add(svg, "text", { x: MARGIN.left, y: 16, class: "chart-title" }, logScale ? `${title} (log scale)` : title);
    for (const tick of yTicks(yMin, yMax)) {
      const y = toY(tick);
      add(svg, "line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, class: "grid" });
      add(svg, "text", { x: MARGIN.left - 6, y: y + 4, class: "tick", "text-anchor": "end" }, formatTick(tick));
    }
    for (const tick of xTicks(xMax)) {
      const x = toX(tick);
      add(svg, "line", { x1: x, x2: x, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom + 4, class: "axis" });
      add(svg, "text", { x, y: HEIGHT - MARGIN.bottom + 16, class: "tick", "text-anchor": "middle" }, String(tick));
    }
    add(svg, "text", { x: WIDTH - MARGIN.right, y: HEIGHT - 4, class: "tick", "text-anchor": "end" }, "epoch");
    add(svg, "path", {
      d: `M${MARGIN.left},${MARGIN.top}V${HEIGHT - MARGIN.bottom}H${WIDTH - MARGIN.right}`,
      class: "axis",
    });

    series.forEach(({ key, label, color, dashed }, index) => {
      const line = (points[key] ?? []).filter(([, y]) => Number.isFinite(y) && (!logScale || y > 0));
      const legendX = WIDTH - MARGIN.right - (series.length - index) * 92;
      add(svg, "line", {
        x1: legendX,
        x2: legendX + 16,
        y1: 12,
        y2: 12,
        stroke: color,
        class: dashed ? "legend dashed" : "legend",
      });
      add(svg, "text", { x: legendX + 20, y: 16, class: "tick" }, label);
      if (line.length === 0) return;
      const d = line
        .map(([x, y], i) => `${i ? "L" : "M"}${toX(x).toFixed(1)},${toY(Math.min(Math.max(y, yMin), yMax)).toFixed(1)}`)
        .join("");
      add(svg, "path", { d, stroke: color, class: dashed ? "series dashed" : "series", "data-key": key });
      const [lastX, lastY] = line[line.length - 1];
      add(svg, "circle", { cx: toX(lastX), cy: toY(Math.min(Math.max(lastY, yMin), yMax)), r: 2.5, fill: color });
    });
  }

  function yDomain(values) {
    if (fixedRange && !logScale) return fixedRange;
    if (values.length === 0) return logScale ? [0.01, 1] : [0, 1];
    let low = Math.min(...values);
    let high = Math.max(...values);
    if (logScale) return [10 ** Math.floor(Math.log10(low)), 10 ** Math.ceil(Math.log10(high) + 1e-9)];
    if (high - low < 1e-6) high = low + 1;
    low = Math.max(0, low - 0.05 * (high - low));
    return [low, high + 0.05 * (high - low)];
  }

  function yTicks(low, high) {
    if (logScale) {
      const ticks = [];
      for (let power = Math.round(Math.log10(low)); power <= Math.round(Math.log10(high)); power++)
        ticks.push(10 ** power);
      return ticks;
    }
    const step = niceStep((high - low) / 4);
    const ticks = [];
    for (let tick = Math.ceil(low / step) * step; tick <= high + 1e-9; tick += step) ticks.push(tick);
    return ticks;
  }

  return {
    render,
    setLogScale(on) {
      logScale = on;
      render();
    },
  };
}

function xTicks(xMax) {
  const step = Math.max(1, niceStep(xMax / 5));
  const ticks = [];
  for (let tick = 0; tick <= xMax + 1e-9; tick += step) ticks.push(Math.round(tick));
  return ticks;
}

/** 1, 2 or 5 times a power of ten, near `rough`. */
function niceStep(rough) {
  const power = 10 ** Math.floor(Math.log10(rough || 1));
  const fraction = rough / power;
  return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power;
}

function formatTick(value) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 100 || Math.abs(value) < 0.01) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

function add(parent, tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  parent.append(element);
  return element;
}
