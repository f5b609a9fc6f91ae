import type { ActorNamespace } from "../platform.ts";
import { ActorError } from "../errors.ts";
import { decodeJsonSegment, encodeJsonSegment } from "../base64.ts";
import type { DirectoryEntry, ListOptions, ListPage } from "../types/directory.ts";

/**
 * Where a page within one shard starts: after this type (when listing every type), key and
 * object. Keys are compared as their JSON text, objects as their id.
 */
export interface ShardPosition {
  name?: string;
  key: string;
  actor: string;
}

/**
 * Shards of the directory, shared by every actor type: enough that one busy type does not
 * funnel through one object, few enough that listing every type is a short pass.
 */
export const DIRECTORY_SHARDS = 16;
const MAX_LIMIT = 1000;
/**
 * How many bytes of entries (measured as JSON) a page holds before it ends early with a
 * cursor: a count alone does not bound a page, as keys may be up to 1 KiB each.
 */
export const LIST_PAGE_BYTES = 512 * 1024;

/** What is left of one page's byte budget; the calls that fill one page share it. */
export interface PageBudget {
  bytes: number;
}

const utf8 = new TextEncoder();

/** One read of a shard. */
export interface ShardList {
  /** Only this type's entries. */
  name?: string;
  /** Without `name`: only these types' entries (every type's when absent). */
  types?: readonly string[];
  lifecycle?: string;
  after?: ShardPosition;
  limit: number;
  /** Read the per-type shard this object was before the shared directory (for imports). */
  legacy?: boolean;
}

/** What a directory shard object answers. */
export type DirectoryRequest = { op: "upsert"; entry: DirectoryEntry | DirectoryEntry[] } | ({ op: "list" } & ShardList);

interface DirectoryStub {
  directory(request: DirectoryRequest): Promise<DirectoryEntry[] | null>;
}

/** The shard an actor's entry lives in, from its object id (already a uniform hash). */
export function shardOf(doId: string): number {
  return Number.parseInt(doId.slice(0, 8), 16) % DIRECTORY_SHARDS;
}

/**
 * A shard object of the directory every type shares; its name cannot collide with an
 * actor's (those are JSON) or with a per-type shard of older versions.
 */
export function shardStub(namespace: ActorNamespace, shard: number): DirectoryStub {
  return namespace.get(namespace.idFromName(`actorstate/v2:directory:${shard}`)) as DirectoryStub;
}

/**
 * A shard of one type's directory as actorstate kept it before the shared directory (16 per
 * type): read only to import its entries, with `{ op: "list", legacy: true }`.
 */
export function legacyShardStub(namespace: ActorNamespace, name: string, shard: number): DirectoryStub {
  return namespace.get(namespace.idFromName(`actorstate/v1:directory:${name}:${shard}`)) as DirectoryStub;
}

interface Cursor {
  shard: number;
  after?: ShardPosition;
}

const isString = (value: unknown): value is string => typeof value === "string";

/** A cursor this Worker gave out for the same kind of list (one type, or every type). */
function decodeCursor(text: string, everyType: boolean): Cursor {
  try {
    const cursor = decodeJsonSegment(text) as Cursor;
    const after = cursor.after;
    const validAfter =
      after === undefined ||
      (typeof after === "object" && after !== null && isString(after.key) && isString(after.actor) && (everyType ? isString(after.name) : after.name === undefined));
    if (Number.isInteger(cursor.shard) && cursor.shard >= 0 && cursor.shard < DIRECTORY_SHARDS && validAfter) return cursor;
  } catch {
    // Reported below.
  }
  throw new ActorError("request/invalid", "That list cursor is not one this Worker gave out.");
}

/** Where a shard's rows continue after `entry`. */
function positionAfter(entry: DirectoryEntry, everyType: boolean): ShardPosition {
  const position = { key: JSON.stringify(entry.key), actor: entry.actorId.slice(0, entry.actorId.lastIndexOf(":")) };
  return everyType ? { name: entry.name, ...position } : position;
}

/**
 * One pass over the shards, in shard order, from `options.cursor`: of one type (`name`) or
 * of every type (only those in `types`, when given). A page asks each shard it reaches at
 * most once, whatever the number of types. Shards it reads from their start tell how full
 * shards are; from then on it asks as many shards at once as should fill the page (all
 * that are left when they are nearly empty), so a sparse directory costs a couple of round
 * trips rather than one per shard, and a full one reads little it does not use.
 */
async function listShards(
  namespace: ActorNamespace,
  scope: { name: string } | { types?: readonly string[] },
  options: ListOptions,
  budget: PageBudget,
): Promise<ListPage> {
  const everyType = !("name" in scope);
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIMIT);
  let cursor: Cursor = options.cursor ? decodeCursor(options.cursor, everyType) : { shard: 0 };
  const actors: DirectoryEntry[] = [];
  const read = async (shard: number, after: ShardPosition | undefined, wanted: number) =>
    (await shardStub(namespace, shard).directory({
      op: "list",
      ...("name" in scope ? { name: scope.name } : scope.types ? { types: scope.types } : {}),
      ...(options.lifecycle ? { lifecycle: options.lifecycle } : {}),
      ...(after ? { after } : {}),
      limit: wanted,
    })) ?? [];
  // Entries per shard, from the shards read whole so far, and bytes per entry.
  const whole = { shards: 0, entries: 0 };
  const startBytes = budget.bytes;
  while (cursor.shard < DIRECTORY_SHARDS) {
    // Each shard is asked for all the page still wants (one that sends fewer has no more);
    // how many are asked at once follows what should fill the page, bytes included.
    const wanted = limit - actors.length;
    const bytesPerEntry = actors.length ? (startBytes - budget.bytes) / actors.length : 0;
    const needed = bytesPerEntry > 0 ? Math.min(wanted, Math.ceil((budget.bytes + 1) / bytesPerEntry)) : wanted;
    const perShard = whole.shards ? whole.entries / whole.shards : undefined;
    const width =
      cursor.after || perShard === undefined ? 1 : Math.min(DIRECTORY_SHARDS - cursor.shard, perShard < 1 ? DIRECTORY_SHARDS : Math.ceil(needed / perShard));
    const from = cursor;
    const wave = await Promise.all(Array.from({ length: width }, (_, i) => read(from.shard + i, i === 0 ? from.after : undefined, wanted)));
    for (const [i, rows] of wave.entries()) {
      for (const entry of rows) {
        actors.push(entry);
        budget.bytes -= utf8.encode(JSON.stringify(entry)).byteLength;
        if (actors.length >= limit || budget.bytes < 0) return { actors, cursor: encodeJsonSegment({ shard: from.shard + i, after: positionAfter(entry, everyType) }) };
      }
      // Not the page's end, so the shard had no more (fewer than `wanted` came back).
      if (i > 0 || !from.after) {
        whole.shards += 1;
        whole.entries += rows.length;
      }
    }
    cursor = { shard: from.shard + width };
  }
  return { actors, cursor: null };
}

/**
 * A page of a type's directory, shard after shard. Within a shard entries come in key
 * order; across shards the order follows the shards. A page ends after `limit` entries or
 * after the entry that takes it past its byte `budget` (which it uses up, so a caller can
 * fill one page from several lists), whichever comes first.
 */
export function listDirectory(
  namespace: ActorNamespace,
  name: string,
  options: ListOptions = {},
  budget: PageBudget = { bytes: LIST_PAGE_BYTES },
): Promise<ListPage> {
  return listShards(namespace, { name }, options, budget);
}

/**
 * A page of every type's directory in one pass over the shards: within a shard entries
 * come in (type, key) order, across shards in shard order; limits and budget as for
 * {@link listDirectory}. With `types`, only those types' entries: the shards skip the others
 * (a type no longer registered) as they read. The cursor is not one a single type's list takes, nor the reverse.
 */
export function listEveryType(
  namespace: ActorNamespace,
  options: ListOptions & { types?: readonly string[] } = {},
  budget: PageBudget = { bytes: LIST_PAGE_BYTES },
): Promise<ListPage> {
  return listShards(namespace, options.types ? { types: options.types } : {}, options, budget);
}

/** Where an import stopped: the type's index, the shard, and the last entry copied from it. */
interface ImportCursor {
  n: number;
  shard: number;
  after?: ShardPosition;
}

/** How many entries one read of a per-type shard takes during an import. */
const IMPORT_BATCH = 500;

/**
 * Copy the entries of the per-type shards older versions of actorstate kept (16 per type)
 * into the shared shards, for the types in `names`. Each entry goes to the shared shard of
 * the same number (the shard is chosen by the object id, as before), through the same
 * versioned upsert as a delivery, so an old entry never replaces one its actor has
 * delivered since, and an import can be run again, or stopped and resumed, harmlessly.
 *
 * One call reads at most `reads` pages of old shards (20 by default) and writes as many, so
 * it stays within a request's subrequest limit; pass `cursor` back until it is `null`.
 */
export async function importLegacyDirectory(
  namespace: ActorNamespace,
  names: readonly string[],
  options: { cursor?: string; reads?: number } = {},
): Promise<{ imported: number; cursor: string | null }> {
  let at: ImportCursor = options.cursor ? decodeImportCursor(options.cursor, names.length) : { n: 0, shard: 0 };
  let imported = 0;
  for (let reads = options.reads ?? 20; reads > 0 && at.n < names.length; reads--) {
    const name = names[at.n] as string;
    const rows =
      (await legacyShardStub(namespace, name, at.shard).directory({ op: "list", legacy: true, ...(at.after ? { after: at.after } : {}), limit: IMPORT_BATCH })) ?? [];
    // Every entry there is of this type and belongs to the shared shard of the same number;
    // one that is not could only come from a bug, and is left out rather than listed twice.
    const entries = rows.filter((entry) => entry.name === name && shardOf(entry.actorId) === at.shard);
    if (entries.length) await shardStub(namespace, at.shard).directory({ op: "upsert", entry: entries });
    imported += entries.length;
    const last = rows.at(-1);
    if (last && rows.length === IMPORT_BATCH) at = { n: at.n, shard: at.shard, after: positionAfter(last, false) };
    else at = at.shard + 1 < DIRECTORY_SHARDS ? { n: at.n, shard: at.shard + 1 } : { n: at.n + 1, shard: 0 };
  }
  return { imported, cursor: at.n < names.length ? encodeJsonSegment(at) : null };
}

function decodeImportCursor(text: string, types: number): ImportCursor {
  try {
    const at = decodeJsonSegment(text) as ImportCursor;
    const after = at.after;
    if (
      Number.isInteger(at.n) && at.n >= 0 && at.n < types &&
      Number.isInteger(at.shard) && at.shard >= 0 && at.shard < DIRECTORY_SHARDS &&
      (after === undefined || (typeof after === "object" && after !== null && isString(after.key) && isString(after.actor)))
    ) {
      return at;
    }
  } catch {
    // Reported below.
  }
  throw new ActorError("request/invalid", "That import cursor is not one this Worker gave out.");
}
