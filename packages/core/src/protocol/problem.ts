import { z } from "zod";

/** RFC 9457 problem details, with a stable machine `code`. */
export const ProblemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    pause_id: z.string().optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof ProblemSchema>;
