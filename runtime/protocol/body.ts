import { ActorError } from "../errors.ts";

const tooLarge = (limit: number) => new ActorError("request/too_large", `Requests are limited to ${limit} bytes.`);

/**
 * A request's body, refused with `request/too_large` once it passes `limit` bytes. It is read
 * as a stream and reading stops at the first byte past the limit, so a chunked body (no
 * Content-Length) is never buffered whole — and one that never ends is still answered.
 */
export async function readLimitedBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling waits on the sender, who may never finish.
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(read.value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
