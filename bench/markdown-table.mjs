// A short Markdown table of the bench report: each figure beside its target and its same-run baseline.

function row(figure, measured, target, baseline = "") {
  return `| ${figure} | ${measured ?? "—"} | ${target} | ${baseline} |`;
}

export function markdownTable(report) {
  const create = report.create_throughput ?? {};
  const scale = report.postgres_scale_out?.create_throughput;
  const held = report.held_waiters;
  const heldSmall = report.held_waiters_small_young_generation;
  const audit = report.audit_evidence;
  const resume = report.decision_to_resume;
  const across = report.postgres_scale_out?.decision_to_resume_across_instances;
  const rows = [
    "| figure | measured | target | same-run baseline |",
    "|---|---|---|---|",
    row(
      "create, SQLite, 50 connections (req/s)",
      create.countersign?.requests_per_second,
      `≥ 1.0× baseline (now ${create.ratio}×)`,
      `${create.baseline_node_http_sqlite?.requests_per_second} (node:http + node:sqlite)`,
    ),
    row(
      "create, SQLite: server CPU per request (ms)",
      create.countersign?.cpu_ms_per_request,
      "≤ the baseline's",
      `${create.baseline_node_http_sqlite?.cpu_ms_per_request} (node:http + node:sqlite)`,
    ),
    ...(scale
      ? [
          row(
            "create, Postgres, one instance, 50 connections (req/s)",
            scale.one_instance.requests_per_second,
            `≥ 0.5× baseline (now ${scale.ratio_one_to_baseline}×)`,
            `${scale.baseline_bare_node_pg.requests_per_second} (node:http + pg)`,
          ),
          row(
            "create, Postgres: CPU per request, server + Postgres (ms)",
            `${scale.one_instance.server_cpu_ms_per_request} + ${scale.one_instance.postgres_cpu_ms_per_request}`,
            "—",
            `${scale.baseline_bare_node_pg.server_cpu_ms_per_request} + ${scale.baseline_bare_node_pg.postgres_cpu_ms_per_request} (node:http + pg)`,
          ),
          row(
            "create, Postgres, two instances (req/s)",
            scale.two_instances.requests_per_second,
            `≥ 1.0× one (now ${scale.ratio_two_to_one}×)`,
            `${scale.one_instance.requests_per_second} (one instance)`,
          ),
        ]
      : []),
    ...(held
      ? [
          row(
            `RSS holding ${held.waiters} long-polls (MB)`,
            held.rss_held_mb,
            "< 256",
            `${held.rss_idle_mb} idle`,
          ),
          row(
            "memory per held long-poll (KB)",
            held.kb_per_waiter,
            "≤ 14 (what < 256 MB leaves)",
            `${held.baseline_bare_node_http?.kb_per_waiter} (bare node:http holding as many)`,
          ),
          row(
            "decision sent → resume p99 while held (ms)",
            held.decision_to_resume_while_held.p99_ms,
            "< 10",
          ),
        ]
      : []),
    ...(heldSmall
      ? [
          row(
            `RSS holding ${heldSmall.waiters} long-polls, ${heldSmall.node_flags} (MB)`,
            heldSmall.rss_held_mb,
            "< 256",
            `${heldSmall.baseline_bare_node_http?.rss_held_mb} (bare node:http, same flag)`,
          ),
          row(
            `decision sent → resume p99 while held, ${heldSmall.node_flags} (ms)`,
            heldSmall.decision_to_resume_while_held.p99_ms,
            "< 10",
          ),
        ]
      : []),
    ...(resume ? [row("decision sent → resume p99, long-poll (ms)", resume.long_poll?.p99_ms, "< 10")] : []),
    ...(across
      ? [row("decision sent → resume p99 across instances (ms)", across.long_poll?.p99_ms, "< 20")]
      : []),
    ...(audit
      ? [
          row(`evidence bundle, log of ${audit.log_events} events (bytes)`, audit.bundle_bytes, "< 20,000"),
          row(
            "evidence bundle verify p50 / p99 (ms)",
            `${audit.verify.p50_ms} / ${audit.verify.p99_ms}`,
            "< 50",
          ),
          row("sealing, SQLite (events/s)", audit.sealing_sqlite_events_per_second, "—"),
          row(
            "sealing, Postgres sealer (events/s)",
            audit.postgres_sealer?.sealing_postgres_events_per_second,
            "—",
          ),
        ]
      : []),
  ];
  return `# Countersign bench (${report.at}, ${report.cpus} cores, Node ${report.node})\n\n${rows.join("\n")}\n`;
}
