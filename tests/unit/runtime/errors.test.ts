// What a caller reads when a schema refuses its input: the path and what was expected,
// rather than zod/mini's bare "Invalid input".
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ActorError, describeIssues, summarizeIssues, toActorError, toForbidden, UserError } from "../../../runtime/errors.ts";

async function issuesOf(schema: z.ZodMiniType, value: unknown) {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) throw new Error("expected the value to fail");
  return describeIssues(result.issues, value);
}

describe("describeIssues", () => {
  it("says what was expected and what was received, where", async () => {
    expect(await issuesOf(z.object({ amount: z.number() }), { amount: "12" })).toEqual([{ path: "amount", message: "expected number, received string" }]);
    expect(await issuesOf(z.tuple([z.string(), z.int()]), ["a", 1.5])).toEqual([{ path: "1", message: "expected int, received number" }]);
    expect(await issuesOf(z.object({ tags: z.array(z.string()) }), { tags: ["a", null] })).toEqual([{ path: "tags.1", message: "expected string, received null" }]);
    expect(await issuesOf(z.object({ owner: z.string() }), undefined)).toEqual([{ message: "expected object, received undefined" }]);
  });

  it("spells out bounds, allowed values, unknown keys, formats and unions", async () => {
    const messages = async (schema: z.ZodMiniType, value: unknown) => (await issuesOf(schema, value)).map((issue) => issue.message);
    expect(await messages(z.number().check(z.minimum(1)), 0)).toEqual(["expected at least 1"]);
    expect(await messages(z.number().check(z.gt(0)), 0)).toEqual(["expected more than 0"]);
    expect(await messages(z.string().check(z.maxLength(3)), "abcd")).toEqual(["expected at most 3 characters"]);
    expect(await messages(z.array(z.string()).check(z.minLength(2)), ["a"])).toEqual(["expected at least 2 items"]);
    expect(await messages(z.enum(["red", "green"]), "blue")).toEqual(['expected one of "red", "green"']);
    expect(await messages(z.strictObject({ a: z.string() }), { a: "x", b: 1 })).toEqual(['unexpected "b"']);
    expect(await messages(z.string().check(z.email()), "nope")).toEqual(["expected email format"]);
    expect(await messages(z.union([z.string(), z.number()]), true)).toEqual(["expected string or number, received boolean"]);
  });

  it("keeps messages a schema's author wrote, and other libraries' own", async () => {
    expect(await issuesOf(z.string({ error: "Give a name." }), 1)).toEqual([{ message: "Give a name." }]);
    expect(describeIssues([{ message: "Invalid type: Expected string but received 1", path: [{ key: "name" }] }])).toEqual([
      { path: "name", message: "Invalid type: Expected string but received 1" },
    ]);
  });
});

describe("summarizeIssues", () => {
  it("puts each issue under its path from the root, three at most", () => {
    const issues = [
      { path: "1", message: "expected int, received string" },
      { path: "0.name", message: "expected string, received number" },
      { message: "expected array, received object" },
      { path: "2", message: "x" },
    ];
    expect(summarizeIssues(issues, "args")).toBe(
      "args[1]: expected int, received string; args[0].name: expected string, received number; args: expected array, received object (and 1 more)",
    );
  });
});

describe("toActorError", () => {
  const quiet = { log: () => {} };

  it("hides an unexpected error's message unless asked to reveal it, and never shows its stack", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const hidden = toActorError(bug, {}, quiet);
    expect(hidden.fullCode).toBe("internal/error");
    expect(hidden.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\); the actor's log has the details\.$/);
    const revealed = toActorError(bug, {}, { ...quiet, reveal: true });
    expect(revealed.message).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\) \(internal error [0-9a-f-]{36}; shown because ACTORSTATE_INSPECTOR=open\)$/);
    expect(JSON.stringify(revealed.toJSON())).not.toContain("at ");
  });

  it("logs the stack with the error id either way", () => {
    const lines: Array<Record<string, unknown>> = [];
    const shown = toActorError(new Error("boom"), { during: "test" }, { log: (_message, fields) => lines.push(fields) });
    expect(lines).toEqual([{ errorId: (shown.metadata as { errorId: string }).errorId, error: expect.objectContaining({ stack: expect.stringContaining("boom") }), during: "test" }]);
  });
});

describe("toForbidden", () => {
  const quiet = { log: () => {} };

  it("keeps the message of what an auth hook meant to throw", () => {
    for (const error of [new UserError("Sign in first."), new ActorError("actor/not_found", "Sign in first."), new Error("Sign in first.")]) {
      expect(toForbidden(error, "Refused.", {}, quiet).toJSON()).toEqual({ group: "auth", code: "forbidden", message: "Sign in first." });
    }
  });

  it("refuses a bug in the hook without showing its message", () => {
    const refused = toForbidden(new TypeError("secret detail"), "Refused.", {}, quiet);
    expect(refused.fullCode).toBe("auth/forbidden");
    expect(refused.message).toMatch(/^Refused\. Internal error \(id /);
    expect(toForbidden(new TypeError("secret detail"), "Refused.", {}, { ...quiet, reveal: true }).message).toContain("TypeError: secret detail");
  });
});
