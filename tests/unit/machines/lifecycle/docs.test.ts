import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { lifecycleSvg, lifecycleSvgJson, withCurrentAnswers } from "../../../../scripts/lifecycle-docs.ts";
import { entryEventTypes, statePaths } from "../../../../scripts/lifecycle-answers.ts";
import { lifecycleMachine } from "../../../../machines/lifecycle/machine.ts";
import type { LifecycleContext, RefusalReason } from "../../../../machines/lifecycle/types.ts";

const docs = (file: string) => readFile(new URL(`../../../../docs/${file}`, import.meta.url), "utf8");

describe("docs/lifecycle.md", () => {
  it("shows the current diagram (run `npm run diagram` after changing the machine)", async () => {
    expect(await docs("lifecycle.svg")).toBe(await lifecycleSvg());
    expect(await docs("lifecycle.md")).toContain("![The lifecycle statechart](lifecycle.svg)");
  });

  it("ships the inspector the current drawing (run `npm run diagram` after changing the machine)", async () => {
    const committed = await readFile(new URL("../../../../runtime/inspector/lifecycle-svg.json", import.meta.url), "utf8");
    expect(committed).toBe(await lifecycleSvgJson());
  });

  it("lists the machine's current answers (run `npm run diagram` after changing the machine)", async () => {
    const doc = await docs("lifecycle.md");
    expect(doc).toBe(withCurrentAnswers(doc));
  });

  it("explains every state, event, guard, refusal and context field in its own words", async () => {
    const doc = await docs("lifecycle.md");
    const prose = doc.slice(0, doc.indexOf("<!-- answers:start"));
    const guards = Object.keys(lifecycleMachine.implementations.guards);
    const reasons: RefusalReason[] = ["not_loaded", "not_ready", "not_found", "stale_generation", "already_exists", "destroying", "no_action_in_flight", "unexpected"];
    const context = Object.keys(lifecycleMachine.config.context as LifecycleContext);
    const work = ["load", "create", "resurrect", "teardown"].flatMap((name) => [`${name} done`, `${name} failed`]);
    const missing = [...statePaths(), "destroying", ...entryEventTypes, ...guards, ...reasons, ...context]
      .filter((name) => !prose.includes(`\`${name}\``))
      .concat(work.filter((name) => !prose.includes(name)));
    expect(missing).toEqual([]);
  });
});
