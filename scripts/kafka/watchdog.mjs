// Detached guard for one test cluster: when the process that started the brokers dies without cleaning up
// (SIGKILL, OOM kill), kill its brokers and delete their data. Exits once the cluster's run directory is gone.
// Plain JS so it runs on bare `node`, independent of tsx. Usage: node watchdog.mjs <ownerPid> <runDir>
import { existsSync } from "node:fs";
import { isProcessRunning, killBrokersAndRemove } from "./broker-processes.mjs";

const [ownerPid, runDir] = [Number(process.argv[2]), process.argv[3]];
const POLL_MS = 500;

while (existsSync(runDir)) {
  if (!isProcessRunning(ownerPid)) {
    await killBrokersAndRemove(runDir);
    break;
  }
  await new Promise((r) => setTimeout(r, POLL_MS));
}
