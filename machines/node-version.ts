// Which Node.js actorstate's tools run on, and what to tell someone on an older one. On an
// older Node, npm quietly installs older wrangler and vitest releases (their newest ones
// need Node 22), which fail later with errors that say nothing about Node.

/** The oldest Node.js major version actorstate's command and tools support. */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Why a Node.js version is too old for actorstate, as a message for the person running it,
 * or `undefined` when it is recent enough.
 *
 * @param version - a Node.js version as `process.versions.node` gives it, e.g. `20.11.1`
 * @example
 * ```ts
 * const problem = nodeVersionProblem(process.versions.node);
 * if (problem) throw new Error(problem);
 * ```
 */
export function nodeVersionProblem(version: string): string | undefined {
  if (Number.parseInt(version, 10) >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `actorstate needs Node.js ${MINIMUM_NODE_MAJOR} or later, and this is Node.js ${version}. ` +
    `Install Node.js ${MINIMUM_NODE_MAJOR} (https://nodejs.org/en/download, or \`nvm install ${MINIMUM_NODE_MAJOR}\`), ` +
    `then delete node_modules and package-lock.json and run npm install again: ` +
    `on an older Node npm picks older wrangler and vitest releases that actorstate does not work with.`
  );
}
