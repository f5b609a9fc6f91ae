// Part of `npm run build`: replaces tsc's dist/runtime/codec.js with one that carries cbor-x
// inside it. cbor-x lists a native addon (cbor-extract) as an optional dependency, which
// npm installs and, when no prebuilt binary matches, compiles with node-gyp on every user's
// `npm install`. The ES modules the codec imports (`cbor-x/encode`, outside Node) never load
// that addon, so bundling them keeps the CBOR code and drops the native install: cbor-x is a
// devDependency of actorstate.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const cborLicense = await readFile(new URL("node_modules/cbor-x/LICENSE", root), "utf8");
const cborVersion = (JSON.parse(await readFile(new URL("node_modules/cbor-x/package.json", root), "utf8")) as { version: string }).version;

await build({
  absWorkingDir: new URL(".", root).pathname,
  entryPoints: ["runtime/codec.ts"],
  outfile: "dist/runtime/codec.js",
  allowOverwrite: true,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2023",
  sourcemap: true,
  sourcesContent: true,
  banner: { js: `/*! cbor-x ${cborVersion} (bundled), https://github.com/kriszyp/cbor-x\n${cborLicense.trim()}\n*/` },
  logLevel: "warning",
  plugins: [
    {
      // Only cbor-x goes in: the codec's own imports stay imports of the other dist modules,
      // so no actorstate module is ever loaded twice.
      name: "keep-relative-imports",
      setup(bundle) {
        bundle.onResolve({ filter: /^\.\.?\// }, (args) =>
          args.kind === "entry-point" || args.importer.includes("/node_modules/") ? undefined : { path: args.path.replace(/\.ts$/, ".js"), external: true },
        );
      },
    },
  ],
});
console.log(`dist/runtime/codec.js: cbor-x ${cborVersion} bundled`);
