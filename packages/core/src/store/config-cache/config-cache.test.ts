import { describe, expect, it } from "vitest";
import { createConfigCache } from "./config-cache.ts";

describe("the config cache", () => {
  it("shares one load, keeps it for its lifetime, and hands each caller its own copy", async () => {
    let clock = 0;
    let loads = 0;
    const cache = createConfigCache({ lifetimeMs: 1_000, now: () => clock });
    const load = async () => ({ loads: ++loads, agentIds: ["a"] });
    const [first, second] = await Promise.all([
      cache.read("api_keys", "k", load),
      cache.read("api_keys", "k", load),
    ]);
    expect(loads).toBe(1);
    first.agentIds.push("edited by one caller");
    expect(second.agentIds).toEqual(["a"]);
    expect((await cache.read("api_keys", "k", load)).agentIds).toEqual(["a"]);
    clock = 1_000;
    expect((await cache.read("api_keys", "k", load)).loads).toBe(2);
  });

  it("keeps nothing a load read while the table changed, nor what `keep` refuses", async () => {
    let loads = 0;
    const cache = createConfigCache({ lifetimeMs: 60_000 });
    let finish: (value: number) => void = () => {};
    const slow = cache.read("grants", "all", () => new Promise<number>((resolve) => (finish = resolve)));
    cache.invalidate("grants");
    finish(1);
    expect(await slow).toBe(1);
    expect(await cache.read("grants", "all", async () => 2)).toBe(2);
    expect(await cache.read("grants", "all", async () => 3)).toBe(2);

    const unknown = async () => {
      loads++;
      return null;
    };
    await cache.read("api_keys", "missing", unknown, (value) => value !== null);
    await cache.read("api_keys", "missing", unknown, (value) => value !== null);
    expect(loads).toBe(2);
  });
});
