// How every browser test starts Debian's Chromium through playwright-core: headless, as root (no sandbox), and
// with background networking off, since this machine's closed network refuses those connections.
export const CHROMIUM_EXECUTABLE = "/usr/bin/chromium";

export const CHROMIUM_LAUNCH_ARGS = [
  "--no-sandbox", // CI runs as root
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
