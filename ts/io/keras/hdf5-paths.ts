import { type Hdf5Dataset, type Hdf5File, Hdf5Group } from "../hdf5/hdf5-file.js";

/**
 * The group at a `/`-separated path, also where Keras 2.15 on Windows wrote one group named `layers\dense`
 * instead of `layers` › `dense` (os.path.join); Keras 3 reads both, as this does.
 */
export function findGroup(file: Hdf5File, path: string): Hdf5Group | undefined {
  const found = find(file.root, path.split("/").filter(Boolean), 0);
  return found instanceof Hdf5Group ? found : undefined;
}

function find(group: Hdf5Group, parts: string[], depth: number): Hdf5Group | Hdf5Dataset | undefined {
  if (parts.length === 0) return group;
  if (depth > 64) return undefined;
  for (let take = 1; take <= parts.length; take++) {
    const name = parts.slice(0, take).join(take === 1 ? "/" : "\\");
    const child = group.memberNames.includes(name) ? group.get(name) : undefined;
    if (!child) continue;
    if (take === parts.length) return child;
    if (child instanceof Hdf5Group) {
      const found = find(child, parts.slice(take), depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The datasets `0, 1, …` of a `vars` group in numeric order (`10` after `9`); a gap or another name is an error. */
export function numberedDatasets(group: Hdf5Group, argument: string): Hdf5Dataset[] {
  const names = group.memberNames;
  const bad = names.find((name) => !/^(0|[1-9]\d*)$/.test(name));
  if (bad !== undefined)
    throw new Error(`${argument}: ${group.path} holds ${JSON.stringify(bad)}; Keras numbers its variables 0, 1, …`);
  const sorted = names.map(Number).sort((a, b) => a - b);
  sorted.forEach((number, i) => {
    if (number !== i) throw new Error(`${argument}: ${group.path} skips variable ${i} (it holds ${sorted.join(", ")})`);
  });
  return sorted.map((number) => {
    const item = group.get(String(number));
    if (!item || item instanceof Hdf5Group)
      throw new Error(`${argument}: ${group.path}/${number} is a group, not a dataset`);
    return item;
  });
}
