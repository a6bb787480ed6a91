// Background work that yields to requests: it runs once the service has no request in hand and has been quiet for a
// moment, so that it never takes the CPU from a burst of calls. (Made at CreateUserPool, the reserve of signing keys
// cost a fresh process about a tenth of its sign-up throughput in its first seconds on a 2-core machine.)

/** How long the service must have been without requests before background work starts. */
const QUIET_MS = 50;

let inHand = 0;
let lastActivity = 0;
const waiting: Array<() => void> = [];
let timer: NodeJS.Timeout | undefined;

/** Marks a request as begun; call the returned function once it is answered. */
export function requestBegun(): () => void {
  inHand++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inHand--;
    lastActivity = Date.now();
  };
}

/** Runs `work` once the service is idle (at once when it has not served a request for QUIET_MS). */
export function whenIdle(work: () => void): void {
  waiting.push(work);
  schedule(0);
}

function schedule(delay: number): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    const quietFor = Date.now() - lastActivity;
    if (inHand > 0 || quietFor < QUIET_MS) return schedule(inHand > 0 ? QUIET_MS : QUIET_MS - quietFor);
    for (const work of waiting.splice(0)) {
      try {
        work();
      } catch {
        // background work reports its own failures; one that throws does not stop the others
      }
    }
  }, delay);
  timer.unref(); // never keeps a process alive on its own
}
