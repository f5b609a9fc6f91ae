// Regenerates docs/lifecycle.svg (and the same drawing for the inspector,
// runtime/inspector/lifecycle-svg.json) and the generated answers in docs/lifecycle.md from
// the lifecycle machine. With --check it changes nothing and exits 1 if either is stale.
import { readFile, writeFile } from "node:fs/promises";
import { connectionSvg, lifecycleSvg, lifecycleSvgJson, withCurrentAnswers } from "./lifecycle-docs.ts";

const svgFile = new URL("../docs/lifecycle.svg", import.meta.url);
const connectionSvgFile = new URL("../docs/connection.svg", import.meta.url);
const docFile = new URL("../docs/lifecycle.md", import.meta.url);
const inspectorSvgFile = new URL("../runtime/inspector/lifecycle-svg.json", import.meta.url);

const svg = await lifecycleSvg();
const doc = await readFile(docFile, "utf8");
const updatedDoc = withCurrentAnswers(doc);
const committedSvg = await readFile(svgFile, "utf8").catch(() => "");
const inspectorSvg = await lifecycleSvgJson();
const connection = await connectionSvg();
const committedConnection = await readFile(connectionSvgFile, "utf8").catch(() => "");
const committedInspectorSvg = await readFile(inspectorSvgFile, "utf8").catch(() => "");

if (process.argv.includes("--check")) {
  const stale = [
    committedSvg !== svg && "docs/lifecycle.svg",
    doc !== updatedDoc && "docs/lifecycle.md",
    committedInspectorSvg !== inspectorSvg && "runtime/inspector/lifecycle-svg.json",
    committedConnection !== connection && "docs/connection.svg",
  ].filter(Boolean);
  if (stale.length) {
    console.error(`Stale: ${stale.join(", ")}. Run \`npm run diagram\` and commit the result.`);
    process.exit(1);
  }
  console.log("docs/lifecycle.svg and docs/lifecycle.md are up to date.");
} else {
  await writeFile(svgFile, svg);
  await writeFile(docFile, updatedDoc);
  await writeFile(inspectorSvgFile, inspectorSvg);
  await writeFile(connectionSvgFile, connection);
  console.log("wrote docs/lifecycle.svg, the generated answers in docs/lifecycle.md, runtime/inspector/lifecycle-svg.json and docs/connection.svg");
}
