// The "Draw a digit" panel: the 8×8 pad plus the model's answer for it (the class and ten probability bars).
import { createDigitPad } from "./digit-pad.js";
import { predictRows } from "./model.js";
import { percent } from "./results.js";

/** Wires the panel; `currentModel()` returns the model trained on digits, or null when there is none. */
export function createPadPanel(currentModel) {
  const classLabel = document.getElementById("pad-class");
  const bars = document.getElementById("pad-bars");
  const hint = document.getElementById("pad-hint");
  const barRows = Array.from({ length: 10 }, (_, digit) => {
    const row = document.createElement("div");
    row.className = "bar";
    row.innerHTML = `<span>${digit}</span><i></i><em></em>`;
    bars.append(row);
    return row;
  });
  const pad = createDigitPad(document.getElementById("pad"), () => classify());
  document.getElementById("clear-pad").addEventListener("click", () => pad.clear());

  /** Shows the current model's answer for the drawing (or why there is none). */
  function classify() {
    const model = currentModel();
    const inked = pad.pixels.some((value) => value > 0);
    bars.hidden = !model || !inked;
    if (!model || !inked) {
      classLabel.textContent = "?";
      classLabel.dataset.digit = "";
      for (const row of barRows) row.style.setProperty("--p", "0");
      hint.textContent = model ? "Draw a digit on the pad." : "Train on the Digits data set to classify your drawing.";
      return;
    }
    const x = Float32Array.from(pad.pixels, (value) => value / 16); // the data's scaling
    const probabilities = predictRows(model, x, 1, 64);
    let best = 0;
    for (let digit = 1; digit < 10; digit++) if (probabilities[digit] > probabilities[best]) best = digit;
    classLabel.textContent = String(best);
    classLabel.dataset.digit = String(best);
    barRows.forEach((row, digit) => {
      row.style.setProperty("--p", probabilities[digit].toFixed(3));
      row.classList.toggle("best", digit === best);
      row.querySelector("em").textContent = percent(probabilities[digit]);
    });
    hint.textContent = `The model says ${best} (${percent(probabilities[best])}).`;
  }

  classify();
  return { classify, load: (pixels) => pad.set(pixels) };
}
