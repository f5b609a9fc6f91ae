// What the test setup provides to the tests (vitest's inject()).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of the test Worker under wrangler dev. */
    endpoint: string;
    /** How many operations the randomized Workers test runs in all (ACTORSTATE_RANDOMIZED_OPERATIONS). */
    randomizedOperations: number;
  }
}
