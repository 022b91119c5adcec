// The Keras housing model (tensorflowjs_converter output; see ../shared/fixtures/keras-housing/SOURCE.md), read
// in place beside the checkout. Absent → null, and the tests that need it skip, saying so.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const HOUSING_DIR = new URL("../../../shared/fixtures/keras-housing/", import.meta.url);

function read() {
  if (!existsSync(fileURLToPath(HOUSING_DIR))) {
    console.warn(`SKIPPED: ${fileURLToPath(HOUSING_DIR)} is absent; the keras-housing tests do not run`);
    return null;
  }
  const modelJsonText = readFileSync(new URL("model.json", HOUSING_DIR), "utf8");
  return {
    modelJsonText,
    modelJson: JSON.parse(modelJsonText),
    shard: new Uint8Array(readFileSync(new URL("group1-shard1of1", HOUSING_DIR))),
    csv: readFileSync(new URL("testproperties.csv", HOUSING_DIR), "utf8"),
  };
}

export const housing = read();
