import { describe, expect, it } from "vitest";
import { nodeVersionProblem } from "../../../machines/node-version.ts";

describe("nodeVersionProblem", () => {
  it("accepts Node 22 and later", () => {
    expect(nodeVersionProblem("22.0.0")).toBeUndefined();
    expect(nodeVersionProblem("24.3.1")).toBeUndefined();
  });

  it("refuses older Nodes, naming the version, the one needed and how to get it", () => {
    const problem = nodeVersionProblem("20.19.2");
    expect(problem).toContain("needs Node.js 22 or later, and this is Node.js 20.19.2");
    expect(problem).toContain("https://nodejs.org/en/download");
    expect(nodeVersionProblem("21.7.3")).toContain("this is Node.js 21.7.3");
  });
});
