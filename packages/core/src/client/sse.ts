export interface ServerSentEvent {
  /** The `event:` field; `message` when the server sent none. */
  event: string;
  data: string;
  id: string | undefined;
  /** The server's reconnection delay in milliseconds, when it sent one. */
  retry: number | undefined;
}

/**
 * Reads Server-Sent Events from a response body, as the HTML standard's event
 * stream parser does: lines end with CRLF, LF or CR; `:` starts a comment; a
 * blank line dispatches; an event without data is dropped. Leaving the loop
 * early cancels the stream, which closes the connection.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const fields = eventBuilder();
  let buffer = "";
  let first = true;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        // A last event without its blank line is incomplete: the standard drops it.
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        const char = buffer[index];
        if (char !== "\n" && char !== "\r") continue;
        // A CR at the very end may be the first half of a CRLF split across chunks.
        if (char === "\r" && index === buffer.length - 1) break;
        const line = buffer.slice(start, index);
        if (char === "\r" && buffer[index + 1] === "\n") index++;
        start = index + 1;
        const event = fields.line(line);
        if (event) yield event;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Collects the fields of one event; `line` returns the event when its blank line arrives. */
function eventBuilder(): { line(line: string): ServerSentEvent | null } {
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  return {
    line(line) {
      if (line === "") {
        const dispatched =
          data.length === 0 ? null : { event: event || "message", data: data.join("\n"), id, retry };
        data = [];
        event = "";
        return dispatched;
      }
      if (line.startsWith(":")) return null;
      const colon = line.indexOf(":");
      const name = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (name === "event") event = value;
      else if (name === "data") data.push(value);
      else if (name === "id" && !value.includes("\0")) id = value;
      else if (name === "retry" && /^\d+$/.test(value)) retry = Number(value);
      return null;
    },
  };
}
