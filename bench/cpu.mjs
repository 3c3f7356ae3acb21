// CPU time (user + system) from /proc, in ms: a figure a machine busy with other work barely moves,
// unlike requests per second.
import { readdirSync, readFileSync } from "node:fs";

function ticksMs(stat, withChildren = false) {
  const fields = stat.split(") ")[1].split(" ");
  const own = Number(fields[11]) + Number(fields[12]);
  // cutime + cstime: the CPU of children that have exited and been waited for.
  return (withChildren ? own + Number(fields[13]) + Number(fields[14]) : own) * 10;
}

/** CPU time one process has used so far. */
export function cpuMs(pid) {
  return ticksMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/**
 * CPU time Postgres has used so far: its running processes, plus the backends that have exited
 * (the postmaster waits for them, so their CPU is counted in its children's time).
 */
export function postgresCpuMs() {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.includes("(postgres)")) total += ticksMs(stat, true);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
