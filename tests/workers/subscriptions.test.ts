import { describe, expect, it } from "vitest";
import type { ActorError } from "actorstate/client";
import { publicClient, uniqueKey } from "./helpers.ts";

const outside = publicClient();

/** Everything a connection hears of `event`, and a promise of the first time. */
function listen(conn: { on(event: string, listener: (...args: any[]) => void): () => void }, event: string) {
  const heard: unknown[][] = [];
  const first = new Promise<unknown[]>((resolve) => conn.on(event, (...args) => resolve(heard[heard.push(args) - 1]!)));
  return { heard, first };
}

describe("canSubscribe", () => {
  it("asks for each event a connection listens for, in its hello and later, refusing with auth/forbidden", async () => {
    const key = uniqueKey("newsroom");
    const editor = outside.newsroom.getOrCreate(key).connect({ role: "editor" });
    const reader = outside.newsroom.getOrCreate(key).connect({ role: "reader" });
    const errors: ActorError[] = [];
    reader.onError((error) => errors.push(error));
    // Listened for before the connection opens: asked in the hello.
    const editorDesk = listen(editor, "desk");
    const readerDesk = listen(reader, "desk");
    await Promise.all([editor.ready(), reader.ready()]);
    const readerNews = listen(reader, "news");
    // Called over the reader's own connection: after its subscription to the news is settled.
    await reader.publish("hello");
    expect(await editorDesk.first).toEqual(["draft: hello"]);
    expect(await readerNews.first).toEqual(["hello"]);
    // The desk went out before the news, on the same socket: the reader was left out.
    expect(readerDesk.heard).toEqual([]);
    expect(errors.map((error) => [error.fullCode, (error.metadata as { event?: string }).event])).toEqual([["auth/forbidden", "desk"]]);

    // Listened for once open: a subscribe frame, asked the same way.
    const late = outside.newsroom.getOrCreate(key).connect({ role: "reader" });
    const lateErrors: ActorError[] = [];
    late.onError((error) => lateErrors.push(error));
    await late.ready();
    const lateDesk = listen(late, "desk");
    const lateNews = listen(late, "news");
    await late.publish("again");
    expect(await lateNews.first).toEqual(["again"]);
    expect(lateDesk.heard).toEqual([]);
    expect(lateErrors.map((error) => error.fullCode)).toEqual(["auth/forbidden"]);
    await Promise.all([editor.dispose(), reader.dispose(), late.dispose()]);
  });
});
