import { type Attributes, type Span, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * Runs `work` inside an OpenTelemetry span named `name`. Through
 * `@opentelemetry/api` only: a no-op until the application registers an SDK
 * (a tracer provider), so the server never decides where traces go. `work`
 * gets the span to add what it learns (an id, an outcome).
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  // Looked up per call: a provider registered after the server started still gets the spans.
  return trace.getTracer("@countersign/core").startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string") span.setAttribute("countersign.error_code", code);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      throw error;
    } finally {
      span.end();
    }
  });
}
