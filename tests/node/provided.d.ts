// What the end-to-end global setup provides to the tests.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of the test Worker under wrangler dev. */
    endpoint: string;
  }
}
