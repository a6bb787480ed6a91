// Who is calling: the TCP peer address of the request an operation is serving, carried through the operation's async
// work (AsyncLocalStorage) so that per-caller limits (e.g. sign-in challenges in memory) need no extra parameters.
import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` as the handling of a request from `source` (a peer address). */
export function runAsRequestFrom<T>(source: string | undefined, fn: () => T): T {
  return storage.run(source ?? "unknown", fn);
}

/** The source of the request being served ("local" outside any request, e.g. in tests calling operations directly). */
export function currentRequestSource(): string {
  return storage.getStore() ?? "local";
}
