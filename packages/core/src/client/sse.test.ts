import { describe, expect, it } from "vitest";
import { readServerSentEvents, type ServerSentEvent } from "./sse.ts";

function streamOf(chunks: (string | Uint8Array)[]): {
  body: ReadableStream<Uint8Array>;
  cancelled: () => boolean;
} {
  const encoder = new TextEncoder();
  let cancelled = false;
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

async function collect(chunks: (string | Uint8Array)[]): Promise<Omit<ServerSentEvent, "retry" | "id">[]> {
  const events: Omit<ServerSentEvent, "retry" | "id">[] = [];
  for await (const event of readServerSentEvents(streamOf(chunks).body)) {
    events.push({ event: event.event, data: event.data });
  }
  return events;
}

describe("readServerSentEvents", () => {
  it("reads named events, joins multi-line data and skips comments", async () => {
    expect(
      await collect([
        ": heartbeat\n\n",
        'event: status\ndata: {"a":1}\n\n',
        "event: decided\ndata: line one\ndata: line two\n\n",
        "data:no space\n\n",
      ]),
    ).toEqual([
      { event: "status", data: '{"a":1}' },
      { event: "decided", data: "line one\nline two" },
      { event: "message", data: "no space" },
    ]);
  });

  it("accepts CRLF, CR and LF line ends, also when split between chunks", async () => {
    expect(
      await collect(["event: a\r", "\ndata: 1\r\n\r", "\nevent: b\rdata: 2\r\r", "data: 3\n", "\n"]),
    ).toEqual([
      { event: "a", data: "1" },
      { event: "b", data: "2" },
      { event: "message", data: "3" },
    ]);
  });

  it("decodes UTF-8 split inside a character and drops a leading byte order mark", async () => {
    const bytes = new TextEncoder().encode("\ufeffdata: Zürich €\n\n");
    const euroStart = bytes.length - 5;
    expect(
      await collect([bytes.slice(0, 11), bytes.slice(11, euroStart + 1), bytes.slice(euroStart + 1)]),
    ).toEqual([{ event: "message", data: "Zürich €" }]);
  });

  it("drops events without data and a last event the stream cut short", async () => {
    expect(await collect(["event: status\n\n", "data: kept\n\n", "event: decided\ndata: cut"])).toEqual([
      { event: "message", data: "kept" },
    ]);
  });

  it("keeps the last id and the server's retry delay", async () => {
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(
      streamOf(["id: 7\nretry: 1500\ndata: x\n\ndata: y\n\n"]).body,
    )) {
      events.push(event);
    }
    expect(events).toEqual([
      { event: "message", data: "x", id: "7", retry: 1500 },
      { event: "message", data: "y", id: "7", retry: 1500 },
    ]);
  });

  it("cancels the stream when the reader stops early", async () => {
    const source = streamOf(["data: first\n\n", "data: second\n\n", "data: third\n\n"]);
    for await (const event of readServerSentEvents(source.body)) {
      expect(event.data).toBe("first");
      break;
    }
    expect(source.cancelled()).toBe(true);
  });
});
