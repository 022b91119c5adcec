// An 8×8 drawing pad in the digits data's own format: 64 cells holding ink 0..16, row by row. Drag to draw
// (a soft brush: the cell under the pointer gets full ink, its four neighbours a little), Shift-drag or the
// right button to erase. Pointer events, so mouse, pen and touch all work.

const SIZE = 8;
const MAX_INK = 16;
const NEIGHBOUR_INK = 6;

/** `canvas`: the pad; `onChange(pixels)` gets a copy of the 64 cells (0..16) after every stroke step. */
export function createDigitPad(canvas, onChange) {
  const pixels = new Uint8Array(SIZE * SIZE);
  const context = canvas.getContext("2d");
  let drawing = null; // "ink" | "erase" while a button is down
  let lastCell = -1;

  canvas.style.touchAction = "none";
  canvas.addEventListener("contextmenu", (event) => event.preventDefault());
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    drawing = event.button === 2 || event.shiftKey ? "erase" : "ink";
    lastCell = -1;
    paintAt(event);
  });
  canvas.addEventListener("pointermove", (event) => drawing && paintAt(event));
  const stop = () => {
    drawing = null;
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  function paintAt(event) {
    const box = canvas.getBoundingClientRect();
    const column = Math.floor(((event.clientX - box.left) / box.width) * SIZE);
    const row = Math.floor(((event.clientY - box.top) / box.height) * SIZE);
    if (column < 0 || column >= SIZE || row < 0 || row >= SIZE) return;
    const cell = row * SIZE + column;
    if (cell === lastCell) return;
    lastCell = cell;
    if (drawing === "erase") pixels[cell] = 0;
    else {
      pixels[cell] = MAX_INK;
      for (const [dr, dc] of [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ]) {
        const r = row + dr;
        const c = column + dc;
        if (r >= 0 && r < SIZE && c >= 0 && c < SIZE)
          pixels[r * SIZE + c] = Math.max(pixels[r * SIZE + c], NEIGHBOUR_INK);
      }
    }
    changed();
  }

  function changed() {
    draw();
    onChange(pixels.slice());
  }

  function draw() {
    const cellSize = canvas.width / SIZE;
    for (let cell = 0; cell < pixels.length; cell++) {
      const shade = Math.round(255 * (1 - pixels[cell] / MAX_INK));
      context.fillStyle = `rgb(${shade},${shade},${shade})`;
      context.fillRect((cell % SIZE) * cellSize, Math.floor(cell / SIZE) * cellSize, cellSize, cellSize);
    }
    context.strokeStyle = "rgba(120, 140, 170, 0.35)";
    context.lineWidth = 1;
    context.beginPath();
    for (let i = 1; i < SIZE; i++) {
      const at = Math.round(i * cellSize) + 0.5;
      context.moveTo(at, 0);
      context.lineTo(at, canvas.height);
      context.moveTo(0, at);
      context.lineTo(canvas.width, at);
    }
    context.stroke();
  }

  draw();
  return {
    /** The 64 cells now (a copy). */
    get pixels() {
      return pixels.slice();
    },
    /** Replaces the drawing, e.g. with a test sample (values 0..16). */
    set(values) {
      pixels.set(values);
      changed();
    },
    clear() {
      pixels.fill(0);
      changed();
    },
  };
}

/** Draws 64 digit pixels (0..16) into a small canvas, for the prediction gallery. */
export function drawDigitThumbnail(canvas, values) {
  const context = canvas.getContext("2d");
  const image = context.createImageData(SIZE, SIZE);
  values.forEach((value, i) => {
    const shade = Math.round(255 * (1 - value / MAX_INK));
    image.data.set([shade, shade, shade, 255], i * 4);
  });
  context.putImageData(image, 0, 0);
}
