// The little of the ws package (a devDependency, also miniflare's) that scripts/profile.ts uses.
declare module "ws" {
  export default class WebSocket {
    constructor(url: string);
    once(event: "open" | "error", listener: (arg?: unknown) => void): this;
    on(event: "message", listener: (data: unknown) => void): this;
    send(data: string): void;
    close(): void;
  }
}
