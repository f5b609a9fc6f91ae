// What the test setup provides to the tests (vitest's inject()).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of the test Worker under wrangler dev. */
    endpoint: string;
    /** The same Worker run with the local opt-in ACTORSTATE_INSPECTOR=open, as `npm start` runs the example. */
    localEndpoint: string;
    /** How many operations the randomized Workers test runs in all (ACTORSTATE_RANDOMIZED_OPERATIONS). */
    randomizedOperations: number;
  }
}
