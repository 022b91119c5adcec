/** Every problem reading or writing HDF5 is one of these: the message names the feature or the bad bytes. */
export class Hdf5Error extends Error {
  constructor(message: string) {
    super(`HDF5: ${message}`);
    this.name = "Hdf5Error";
  }
}

/** An HDF5 "undefined address" (all bits set), as read into a number. */
export const UNDEFINED_ADDRESS = -1;
