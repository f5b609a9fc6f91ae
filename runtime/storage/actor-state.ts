// An actor's state as it is stored: in parts, so a change to one part of a large state
// writes that part alone. A state that is a plain object is one row per top-level key (its
// part is "." and the key) and a head row "" listing the keys in their order; any other
// state (a number, an array) is the head row alone, holding the whole value.
import { decodeValue, encodeValue, toBlob } from "../codec.ts";

/** The parts of a state as stored: part name → encoded value. */
export type StateParts = Map<string, Uint8Array>;

/** What the head row holds: the keys of a plain-object state, or a whole state of any other kind. */
type StateHead = { keys: string[] } | { whole: unknown };

/** The head row's part name. */
export const HEAD = "";

/** The part of top-level key `key`. */
export const partOf = (key: string) => `.${key}`;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The values a state is stored as, part by part, not yet encoded: the head first, then a
 * plain object's keys in order.
 */
export function valuesOf(state: unknown): Map<string, unknown> {
  if (!isPlainObject(state)) return new Map([[HEAD, { whole: state } satisfies StateHead]]);
  const keys = Object.keys(state);
  const values = new Map<string, unknown>([[HEAD, { keys } satisfies StateHead]]);
  for (const key of keys) values.set(partOf(key), state[key]);
  return values;
}

/** Encode one part; `path` names it in the error a value that is not plain data throws. */
export function encodePart(part: string, value: unknown): Uint8Array {
  return encodeValue(value, part === HEAD ? "state" : `state${part}`);
}

/** Encode every part of `state`: for a state's first write. */
export function encodeParts(state: unknown): StateParts {
  const parts: StateParts = new Map();
  for (const [part, value] of valuesOf(state)) parts.set(part, encodePart(part, value));
  return parts;
}

/** The state that stored `parts` hold. */
export function stateOf(parts: StateParts): unknown {
  const bytes = parts.get(HEAD);
  if (!bytes) throw new Error("A stored state has no head part.");
  const head = decodeValue(bytes) as StateHead;
  if ("whole" in head) return head.whole;
  // fromEntries defines each key, so a key such as "__proto__" stays a key.
  return Object.fromEntries(head.keys.flatMap((key) => {
    const part = parts.get(partOf(key));
    return part ? [[key, decodeValue(part)]] : [];
  }));
}

/** The stored parts of `generation`'s state, or `undefined` if that generation has none. */
export function readStateParts(storage: DurableObjectStorage, generation: number): StateParts | undefined {
  const rows = storage.sql.exec<{ part: string; value: ArrayBuffer }>("SELECT part, value FROM actorstate_state_part WHERE generation = ?", generation).toArray();
  if (!rows.length) return undefined;
  return new Map(rows.map((row) => [row.part, new Uint8Array(row.value)]));
}

/** The stored state of `generation`, decoded; `undefined` if that generation has none. */
export function readStateValue(storage: DurableObjectStorage, generation: number): unknown {
  const parts = readStateParts(storage, generation);
  return parts ? stateOf(parts) : undefined;
}

/**
 * The stored value of one top-level key of `generation`'s state, read alone; `undefined`
 * if there is none (no such key, no such generation, or a state that is not an object).
 */
export function readStateKey(storage: DurableObjectStorage, generation: number, key: string): unknown {
  const row = storage.sql
    .exec<{ value: ArrayBuffer }>("SELECT value FROM actorstate_state_part WHERE part = ? AND generation = ?", partOf(key), generation)
    .toArray()[0];
  return row ? decodeValue(row.value) : undefined;
}

/** Write the first state of `generation` (a creation): whatever state was there goes. */
export function writeInitialState(storage: DurableObjectStorage, generation: number, parts: StateParts): void {
  storage.transactionSync(() => {
    wipeState(storage);
    for (const [part, bytes] of parts) {
      storage.sql.exec("INSERT INTO actorstate_state_part (part, generation, value) VALUES (?, ?, ?)", part, generation, toBlob(bytes));
    }
  });
}

/**
 * Write the parts of `generation`'s state that changed, and remove those that went, in one
 * transaction. The generation is part of every write, so a save that arrives after its
 * generation was wiped touches nothing; that case throws.
 */
export function saveStateParts(storage: DurableObjectStorage, generation: number, changes: { set: ReadonlyArray<readonly [string, Uint8Array]>; removed: readonly string[] }): void {
  const write = () => {
    for (const [part, bytes] of changes.set) {
      const cursor = storage.sql.exec(
        `INSERT INTO actorstate_state_part (part, generation, value)
           SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM actorstate_state_part WHERE part = '' AND generation = ?)
         ON CONFLICT (part) DO UPDATE SET value = excluded.value`,
        part,
        generation,
        toBlob(bytes),
        generation,
      );
      if (cursor.rowsWritten < 1) throw new Error(`Generation ${generation} has no stored state to update; it was destroyed.`);
    }
    for (const part of changes.removed) storage.sql.exec("DELETE FROM actorstate_state_part WHERE part = ? AND generation = ?", part, generation);
  };
  // One statement is atomic by itself; more need a transaction.
  if (changes.set.length + changes.removed.length > 1) storage.transactionSync(write);
  else write();
}

/** Erase the state: part of every wipe. */
export function wipeState(storage: DurableObjectStorage): void {
  storage.sql.exec("DELETE FROM actorstate_state_part");
}
