import { z } from "zod";

/** An Ed25519 public key as a JWK (RFC 8037). */
export const PublicJwkSchema = z
  .looseObject({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: z.string().min(1),
    kid: z.string().min(1),
    alg: z.literal("EdDSA").optional(),
    use: z.literal("sig").optional(),
  })
  .meta({ id: "PublicJwk" });
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const JwkSetSchema = z.looseObject({ keys: z.array(PublicJwkSchema) }).meta({ id: "JwkSet" });
export type JwkSet = z.infer<typeof JwkSetSchema>;
