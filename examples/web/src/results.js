// What the trained model says about the test rows: a confusion matrix, a gallery of predictions (digit
// thumbnails, or a table for iris and the spirals) and, for the 2-D spirals, a map of the decision regions.
import { drawDigitThumbnail } from "./digit-pad.js";
import { predictRows } from "./model.js";

const GALLERY_SIZE = 30;

/** Predicted class of each row: the argmax of its probabilities. */
export function argMaxRows(probabilities, classes) {
  const count = probabilities.length / classes;
  const predicted = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
    predicted[i] = best;
  }
  return predicted;
}

/** Rows = true class, columns = predicted class; the diagonal is what the model got right. */
export function renderConfusion(table, labels, predicted, classNames) {
  const classes = classNames.length;
  const counts = new Int32Array(classes * classes);
  labels.forEach((label, i) => counts[label * classes + predicted[i]]++);
  const largest = Math.max(1, ...counts);
  const header = element("tr");
  header.append(
    element("th", { class: "corner", title: "rows: true class, columns: predicted class" }, "true ╲ pred."),
    ...classNames.map((name) => element("th", {}, name)),
  );
  const rows = classNames.map((name, truth) => {
    const row = element("tr");
    row.append(element("th", {}, name));
    classNames.forEach((_, guess) => {
      const count = counts[truth * classes + guess];
      const cell = element("td", { class: truth === guess ? "hit" : count ? "miss" : "" }, String(count));
      // NOTE: set through CSSOM, not a style attribute, so a strict Content-Security-Policy allows it.
      cell.style.setProperty("--strength", count ? (0.15 + 0.85 * (count / largest)).toFixed(2) : "0");
      row.append(cell);
    });
    return row;
  });
  const body = element("tbody");
  body.append(header, ...rows);
  table.replaceChildren(body);
}

/**
 * The first test rows with their predicted class. Digits show as 8×8 thumbnails (a click hands the pixels to
 * `onPick`, e.g. to load them into the drawing pad); iris and spirals as a table of raw features.
 */
export function renderGallery(container, data, probabilities, predicted, onPick) {
  const { test, classes, classNames, features } = data;
  const shown = Math.min(GALLERY_SIZE, test.count);
  container.replaceChildren();
  if (data.pixels) {
    container.className = "gallery digits";
    for (let i = 0; i < shown; i++) {
      const row = test.rows[i];
      const pixels = data.pixels.subarray(row * 64, row * 64 + 64);
      const figure = element("figure", {
        class: predicted[i] === test.y[i] ? "right" : "wrong",
        title: `true ${test.y[i]}, predicted ${predicted[i]}`,
      });
      const canvas = element("canvas", { width: 8, height: 8 });
      drawDigitThumbnail(canvas, pixels);
      const caption = element(
        "figcaption",
        {},
        `${classNames[predicted[i]]} · ${Math.round(100 * probabilities[i * classes + predicted[i]])} %`,
      );
      figure.append(canvas, caption);
      figure.addEventListener("click", () => onPick?.(pixels));
      container.append(figure);
    }
    return;
  }
  container.className = "gallery rows";
  const table = element("table");
  // NOTE: "sepal length (cm)" → "sepal length": the unit goes to the header's tooltip, to keep the table narrow.
  const names = data.featureNames.map((name) => [name.replace(/\s*\(.*\)$/, ""), name]);
  const header = [...names, ["true"], ["predicted"], ["confidence"]]
    .map(([name, title = name]) => `<th title="${escapeXml(title)}">${escapeXml(name)}</th>`)
    .join("");
  const body = [];
  for (let i = 0; i < Math.min(12, shown); i++) {
    const row = test.rows[i];
    const values = Array.from(data.x.subarray(row * features, (row + 1) * features), (value) => value.toFixed(2));
    const right = predicted[i] === test.y[i];
    body.push(
      `<tr class="${right ? "right" : "wrong"}">${values.map((value) => `<td>${value}</td>`).join("")}` +
        `<td>${escapeXml(classNames[test.y[i]])}</td><td>${escapeXml(classNames[predicted[i]])}</td>` +
        `<td>${percent(probabilities[i * classes + predicted[i]])}</td></tr>`,
    );
  }
  table.innerHTML = `<thead><tr>${header}</tr></thead><tbody>${body.join("")}</tbody>`;
  container.append(table);
}

/**
 * For 2-D data: colours every point of the plane (a 64×64 grid over [-1.25, 1.25]²) by the model's
 * probability of class B, and draws the training points on top.
 */
export function drawDecisionMap(canvas, model, data) {
  const grid = 64;
  const extent = 1.25;
  const x = new Float32Array(grid * grid * 2);
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const i = row * grid + column;
      x[2 * i] = -extent + (2 * extent * (column + 0.5)) / grid;
      x[2 * i + 1] = extent - (2 * extent * (row + 0.5)) / grid;
    }
  }
  const probabilities = predictRows(model, x, grid * grid, 2);
  const context = canvas.getContext("2d");
  const image = context.createImageData(grid, grid);
  for (let i = 0; i < grid * grid; i++) {
    const b = probabilities[2 * i + 1];
    // orange (A) … blue (B), pale so the points stay visible
    image.data.set([Math.round(253 - 150 * b), Math.round(214 - 20 * b), Math.round(170 + 70 * b), 255], i * 4);
  }
  const scratch = new OffscreenCanvas(grid, grid);
  scratch.getContext("2d").putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  const { train } = data;
  const toPixel = (value, flip) => ((flip ? extent - value : value + extent) / (2 * extent)) * canvas.width;
  for (let i = 0; i < train.count; i++) {
    context.fillStyle = train.y[i] ? "#1f5fbf" : "#d9631e";
    context.beginPath();
    context.arc(toPixel(train.x[2 * i], false), toPixel(train.x[2 * i + 1], true), 2.4, 0, 2 * Math.PI);
    context.fill();
  }
}

export function percent(value) {
  return `${(100 * value).toFixed(1)} %`;
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function escapeXml(text) {
  return String(text).replace(/[&<>"]/g, (char) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[char]};`);
}
