// Cases ported from XState's own tests (packages/core/test/): see tests/fidelity/case.ts.
import type { FidelityCase } from "../case.ts";

export const actionsCases: FidelityCase[] = [];
