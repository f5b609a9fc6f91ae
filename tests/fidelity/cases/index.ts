// Every fidelity case, in a fixed order: a case's index is its actor's name (f0, f1, …).
import type { FidelityCase } from "../case.ts";
import { actionsCases } from "./actions.ts";
import { delaysCases } from "./delays.ts";
import { invokeCases } from "./invoke.ts";
import { knownGaps } from "./known-gaps.ts";

export const cases: FidelityCase[] = [...knownGaps, ...actionsCases, ...invokeCases, ...delaysCases];
