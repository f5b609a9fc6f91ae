// Every fidelity case, in a fixed order: a case's index is its actor's name (f0, f1, …).
import type { FidelityCase } from "../case.ts";
import { knownGaps } from "./known-gaps.ts";

export const cases: FidelityCase[] = [...knownGaps];
