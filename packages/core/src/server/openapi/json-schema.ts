import { z } from "zod";

type Schema = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";

/** Every schema registered with an id (`.meta({ id })`), as OpenAPI 3.1 components. */
export function componentSchemas(): Record<string, Schema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `${COMPONENTS}${id}`,
    io: "output",
    unrepresentable: "any",
  }) as { schemas: Record<string, Schema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  // Any JSON value, stated as the empty schema: the exact recursive union is valid JSON Schema, but
  // type generators (openapi-typescript among them) turn it into a type that refers to itself.
  if (schemas.JsonValue) schemas.JsonValue = { description: "Any JSON value." };
  return schemas;
}

/**
 * One schema as it appears inside an operation: a `$ref` when it is
 * registered, else inline, with references to registered schemas pointing
 * at the components. `io: "input"` describes what a client sends (defaults
 * optional, coercions as their target type).
 */
export function schemaFor(schema: z.ZodType, io: "input" | "output"): Schema {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id === "string") return { $ref: `${COMPONENTS}${id}` };
  const converted = z.toJSONSchema(schema, { io, unrepresentable: "any", reused: "inline" }) as Schema;
  delete converted.$schema;
  const defs = (converted.$defs ?? {}) as Record<string, Schema>;
  delete converted.$defs;
  return pointAtComponents(converted, new Set(Object.keys(defs))) as Schema;
}

/** The properties of an object schema (path, query, headers), each with whether it is required. */
export function propertiesOf(schema: z.ZodType): { name: string; required: boolean; schema: Schema }[] {
  const converted = schemaFor(schema, "input");
  const properties = (converted.properties ?? {}) as Record<string, Schema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    required: required.has(name),
    schema: property,
  }));
}

function pointAtComponents(value: unknown, registered: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => pointAtComponents(item, registered));
  if (typeof value !== "object" || value === null) return value;
  const out: Schema = {};
  for (const [key, member] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof member === "string" && member.startsWith("#/$defs/")
        ? `${COMPONENTS}${member.slice("#/$defs/".length)}`
        : pointAtComponents(member, registered);
  }
  return out;
}
