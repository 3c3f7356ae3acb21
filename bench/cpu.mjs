// CPU time (user + system) from /proc, in ms: a figure a machine busy with other work barely moves,
// unlike requests per second.
import { readdirSync, readFileSync } from "node:fs";

function ticksMs(stat) {
  const fields = stat.split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time one process has used so far. */
export function cpuMs(pid) {
  return ticksMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** CPU time all running `postgres` processes (the server and its backends) have used so far. */
export function postgresCpuMs() {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.includes("(postgres)")) total += ticksMs(stat);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
