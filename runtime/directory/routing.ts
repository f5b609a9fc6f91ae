import type { ActorNamespace } from "../platform.ts";
import { ActorError } from "../errors.ts";
import { decodeJsonSegment, encodeJsonSegment } from "../protocol/encoding.ts";
import type { DirectoryEntry, ListOptions, ListPage } from "./entry.ts";

/** Where a page within one shard starts: after this key (and object, for equal keys). */
export interface ShardPosition {
  key: string;
  actor: string;
}

/** Shards per actor type: enough that one busy type does not funnel through one object. */
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

/** What a directory shard object answers. */
export type DirectoryRequest =
  | { op: "upsert"; entry: DirectoryEntry }
  | { op: "list"; lifecycle?: string; after?: ShardPosition; limit: number };

interface DirectoryStub {
  directory(request: DirectoryRequest): Promise<DirectoryEntry[] | null>;
}

/** The shard an actor's entry lives in, from its object id (already a uniform hash). */
export function shardOf(doId: string): number {
  return Number.parseInt(doId.slice(0, 8), 16) % DIRECTORY_SHARDS;
}

/** The shard object for a type; its name cannot collide with an actor's (those are JSON). */
export function shardStub(namespace: ActorNamespace, name: string, shard: number): DirectoryStub {
  return namespace.get(namespace.idFromName(`actorstate/v1:directory:${name}:${shard}`)) as DirectoryStub;
}

interface Cursor {
  shard: number;
  after?: ShardPosition;
}

function decodeCursor(text: string): Cursor {
  try {
    const cursor = decodeJsonSegment(text) as Cursor;
    if (Number.isInteger(cursor.shard) && cursor.shard >= 0 && cursor.shard < DIRECTORY_SHARDS) return cursor;
  } catch {
    // Reported below.
  }
  throw new ActorError("request/invalid", "That list cursor is not one this Worker gave out.");
}

/** The cursor of a page that ends with `last`, in `shard`. */
function cursorAfter(shard: number, last: DirectoryEntry): string {
  return encodeJsonSegment({ shard, after: { key: JSON.stringify(last.key), actor: last.actorId.slice(0, last.actorId.lastIndexOf(":")) } });
}

/**
 * A page of a type's directory, shard after shard. Within a shard entries come in key
 * order; across shards the order follows the shards. A page ends after `limit` entries or
 * after the entry that takes it past its byte `budget` (which it uses up, so a caller can
 * fill one page from several lists), whichever comes first.
 */
export async function listDirectory(
  namespace: ActorNamespace,
  name: string,
  options: ListOptions = {},
  budget: PageBudget = { bytes: LIST_PAGE_BYTES },
): Promise<ListPage> {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIMIT);
  let cursor: Cursor = options.cursor ? decodeCursor(options.cursor) : { shard: 0 };
  const actors: DirectoryEntry[] = [];
  while (cursor.shard < DIRECTORY_SHARDS) {
    const page =
      (await shardStub(namespace, name, cursor.shard).directory({
        op: "list",
        ...(options.lifecycle ? { lifecycle: options.lifecycle } : {}),
        ...(cursor.after ? { after: cursor.after } : {}),
        limit: limit - actors.length,
      })) ?? [];
    for (const entry of page) {
      actors.push(entry);
      budget.bytes -= utf8.encode(JSON.stringify(entry)).byteLength;
      if (actors.length >= limit || budget.bytes < 0) return { actors, cursor: cursorAfter(cursor.shard, entry) };
    }
    cursor = { shard: cursor.shard + 1 };
  }
  return { actors, cursor: null };
}
