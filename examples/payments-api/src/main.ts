import { runDemo } from "./demo.ts";

await runDemo((line) => console.log(line));
