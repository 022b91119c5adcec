// The playground page: settings form → densa model → fit with live progress, curves and results.
// Everything the page shows during training is drawn in requestAnimationFrame callbacks: fit's callbacks only
// record numbers, so a batch costs no DOM work and the page paints between the slices fit yields.
import { init } from "densa";
import { createChart } from "./chart.js";
import { DATASETS, loadDataset } from "./datasets.js";
import {
  ACTIVATIONS,
  buildModel,
  evaluateRows,
  OPTIMIZERS,
  parseHiddenLayers,
  predictRows,
  trainModel,
} from "./model.js";
import { createPadPanel } from "./pad-panel.js";
import { argMaxRows, drawDecisionMap, percent, renderConfusion, renderGallery } from "./results.js";

const $ = (id) => document.getElementById(id);
const app = $("app");
const form = $("settings");
const fields = Object.fromEntries(
  ["dataset", "hidden", "activation", "dropout", "optimizer", "learningRate", "batchSize", "epochs", "seed"].map(
    (name) => [name, $(name)],
  ),
);

const lossChart = createChart($("loss-chart"), {
  title: "Loss",
  series: [
    { key: "loss", label: "train", color: "#d9631e" },
    { key: "val_loss", label: "test", color: "#1f5fbf", dashed: true },
  ],
});
const accuracyChart = createChart($("accuracy-chart"), {
  title: "Accuracy",
  fixedRange: [0, 1],
  series: [
    { key: "accuracy", label: "train", color: "#d9631e" },
    { key: "val_accuracy", label: "test", color: "#1f5fbf", dashed: true },
  ],
});

/** Everything the next frame needs to draw. */
const run = {
  model: null,
  data: null,
  settings: null,
  curves: emptyCurves(),
  live: null,
  started: 0,
  seconds: undefined,
  frame: 0,
  mapDrawn: 0,
  classifiedAt: 0,
};
const padPanel = createPadPanel(() => (run.data?.name === "digits" ? run.model : null));

fillSelect(
  fields.dataset,
  Object.entries(DATASETS).map(([value, { title }]) => [value, title]),
);
fillSelect(
  fields.activation,
  ACTIVATIONS.map((name) => [name, name]),
);
fillSelect(
  fields.optimizer,
  Object.keys(OPTIMIZERS).map((name) => [name, name]),
);
applyDefaults("digits");
fields.dataset.addEventListener("change", () => applyDefaults(fields.dataset.value));
$("log-scale").addEventListener("change", (event) => lossChart.setLogScale(event.target.checked));
$("stop").addEventListener("click", () => {
  if (!run.model) return;
  run.model.stopTraining = true; // fit stops after the current batch
  $("status").textContent = "Stopping…";
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  train().catch(showError);
});
drawCharts();

init().then(() => {
  setState("ready", "Ready: pick a data set and press Train.");
  $("train").disabled = false;
}, showError);

async function train() {
  const settings = readSettings();
  if (!settings) return;
  run.model?.dispose();
  run.data = loadDataset(settings.dataset, settings.seed);
  run.model = buildModel(settings, run.data);
  run.settings = settings;
  run.curves = emptyCurves();
  run.live = null;
  run.mapDrawn = 0;
  run.classifiedAt = 0;
  const summary = [];
  run.model.summary((line) => summary.push(line));
  $("summary").textContent = summary.join("\n");
  for (const field of Object.values(fields)) field.disabled = true;
  $("train").disabled = true;
  $("stop").disabled = false;
  $("test-accuracy").textContent = "Training…";
  setState("training", `Training on ${run.data.train.count} rows of ${DATASETS[settings.dataset].title}…`);
  run.started = performance.now();
  run.seconds = undefined; // fit's own time once it is over
  try {
    const { history, seconds } = await trainModel(run.model, run.data, settings, {
      onBatch: ({ epoch, step, steps, logs }) => {
        run.live = { epoch, step, steps, loss: logs.loss, accuracy: logs.accuracy };
        scheduleFrame();
      },
      onEpoch: ({ epoch, logs }) => {
        for (const key of Object.keys(run.curves)) run.curves[key].push([epoch + 1, logs[key]]);
        run.live = null;
        scheduleFrame();
      },
    });
    run.seconds = seconds;
    await showResults(history.epoch.length, seconds);
  } finally {
    for (const field of Object.values(fields)) field.disabled = false;
    $("train").disabled = false;
    $("stop").disabled = true;
  }
}

async function showResults(epochs, seconds) {
  const { model, data, settings } = run;
  const { test, classes, features } = data;
  const scores = await evaluateRows(model, test, features);
  const probabilities = predictRows(model, test.x, test.count, features);
  const predicted = argMaxRows(probabilities, classes);
  const stopped = epochs < settings.epochs ? ` (stopped after ${epochs} of ${settings.epochs} epochs)` : "";
  const accuracy = $("test-accuracy");
  accuracy.innerHTML = `Test accuracy <strong>${percent(scores.accuracy)}</strong> on ${test.count} rows · test loss ${formatLoss(scores.loss)} · ${epochs} epochs in ${formatSeconds(seconds)}${stopped}`;
  accuracy.dataset.accuracy = String(scores.accuracy);
  renderConfusion($("confusion"), test.y, predicted, data.classNames);
  renderGallery($("gallery"), data, probabilities, predicted, (pixels) => padPanel.load(pixels));
  $("decision-map").hidden = features !== 2;
  if (features === 2) drawDecisionMap($("decision-map"), model, data);
  padPanel.classify();
  setState("done", `Done: test accuracy ${percent(scores.accuracy)}.`);
  drawFrame();
}

function scheduleFrame() {
  if (!run.frame) run.frame = requestAnimationFrame(drawFrame);
}

function drawFrame() {
  run.frame = 0;
  const { live, settings, curves } = run;
  if (!settings) return;
  const done = curves.loss.length;
  const position = live ? live.epoch + (live.step + 1) / live.steps : done;
  $("progress").value = position / settings.epochs;
  const elapsed = run.seconds ?? (performance.now() - run.started) / 1000;
  const rows = run.data.train.count * position;
  $("timing").textContent =
    `${formatSeconds(elapsed)} · ${Math.round(rows / Math.max(elapsed, 1e-3)).toLocaleString("en")} samples/s`;
  const last = live ?? {
    epoch: done - 1,
    step: -1,
    loss: curves.loss.at(-1)?.[1],
    accuracy: curves.accuracy.at(-1)?.[1],
  };
  const batch = live ? ` · batch ${live.step + 1} / ${live.steps}` : "";
  if (last.loss !== undefined) {
    $("progress-text").textContent =
      `Epoch ${Math.min(last.epoch + 1, settings.epochs)} / ${settings.epochs}${batch} · loss ${formatLoss(last.loss)} · accuracy ${percent(last.accuracy)}` +
      (curves.val_accuracy.length ? ` · test accuracy ${percent(curves.val_accuracy.at(-1)[1])}` : "");
  }
  drawCharts();
  if (run.data.features === 2 && performance.now() - run.mapDrawn > 250) {
    $("decision-map").hidden = false;
    drawDecisionMap($("decision-map"), run.model, run.data);
    run.mapDrawn = performance.now();
  }
  if (run.data.name === "digits" && done !== run.classifiedAt) {
    run.classifiedAt = done; // the drawing's answer follows the model, once an epoch
    padPanel.classify();
  }
}

/**
 * The epoch curves, each extended by the running value of the epoch in progress. The epoch axis grows with
 * the run (a quarter ahead of it, up to the planned epochs), so early epochs are not squeezed into a corner.
 */
function drawCharts() {
  const { live, curves } = run;
  const done = curves.loss.length;
  const position = live ? live.epoch + (live.step + 1) / live.steps : done;
  const planned = run.settings?.epochs ?? 10;
  const xMax =
    app.dataset.state === "training"
      ? Math.min(planned, Math.max(10, Math.ceil(position * 1.25)))
      : Math.max(done, Math.min(planned, 10));
  const withLive = (key, value) =>
    live && Number.isFinite(value) ? [...curves[key], [live.epoch + (live.step + 1) / live.steps, value]] : curves[key];
  lossChart.render({ loss: withLive("loss", live?.loss), val_loss: curves.val_loss }, xMax);
  accuracyChart.render({ accuracy: withLive("accuracy", live?.accuracy), val_accuracy: curves.val_accuracy }, xMax);
}

function readSettings() {
  const error = $("form-error");
  error.textContent = "";
  try {
    const number = (name, { min, max, integer }) => {
      const value = Number(fields[name].value);
      if (
        fields[name].value === "" ||
        !Number.isFinite(value) ||
        value < min ||
        value > max ||
        (integer && !Number.isInteger(value))
      ) {
        throw new Error(
          `${fields[name].labels[0].firstChild.textContent.trim()}: expected ${integer ? "a whole number" : "a number"} from ${min} to ${max}`,
        );
      }
      return value;
    };
    parseHiddenLayers(fields.hidden.value);
    return {
      dataset: fields.dataset.value,
      hidden: fields.hidden.value,
      activation: fields.activation.value,
      optimizer: fields.optimizer.value,
      dropout: number("dropout", { min: 0, max: 0.9 }),
      learningRate: number("learningRate", { min: 1e-6, max: 10 }),
      batchSize: number("batchSize", { min: 1, max: 4096, integer: true }),
      epochs: number("epochs", { min: 1, max: 5000, integer: true }),
      seed: number("seed", { min: 0, max: 2 ** 31, integer: true }),
    };
  } catch (problem) {
    error.textContent = problem.message;
    return null;
  }
}

function applyDefaults(name) {
  $("dataset-info").textContent = DATASETS[name].about;
  for (const [key, value] of Object.entries(DATASETS[name].defaults)) fields[key].value = String(value);
}

function fillSelect(select, options) {
  select.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
}

function formatSeconds(seconds) {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

function formatLoss(value) {
  return value >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(2);
}

function emptyCurves() {
  return { loss: [], val_loss: [], accuracy: [], val_accuracy: [] };
}

function setState(state, message) {
  app.dataset.state = state;
  $("status").textContent = message;
}

function showError(error) {
  console.error(error);
  setState("error", `Error: ${error instanceof Error ? error.message : String(error)}`);
}
