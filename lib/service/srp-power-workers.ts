// Powers of SRP's generator on worker threads: the BigInt work of a password verifier or a password check (about
// 0.35 ms each, by table lookup) leaves the event loop, so that under load the main thread parses, stores and answers
// requests while other cores compute. Used only once the generator table is complete, that is, only under load (see
// ./srp.ts): a process that serves a few requests never starts a worker.
//
// Each worker runs the table lookup's own source text (tablePower, ./srp-generator-table.ts) on a shared copy of the
// table, without the TypeScript loader (its code is plain JavaScript). A worker that fails takes the pool down with it;
// callers then compute on the main thread, as before.
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import { tablePower, type TableContents } from "./srp-generator-table";

/** What a worker is started with. */
interface WorkerSetup {
  table: SharedArrayBuffer;
  entryCount: number;
  modulusHex: string;
  elementBytes: number;
  windowBits: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const tablePower = (${tablePower.toString()});
const table = new Uint8Array(workerData.table);
const entries = new Array(workerData.entryCount);
const modulus = BigInt("0x" + workerData.modulusHex);
parentPort.on("message", ({ id, exponent }) => {
  parentPort.postMessage({ id, power: tablePower(table, entries, modulus, workerData.elementBytes, workerData.windowBits, exponent) });
});
`;

/** Workers: one fewer than the machine's cores (the event loop keeps one), at least one, at most four. */
function workerCount(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (power: bigint) => void; reject: (e: unknown) => void }>;
}

/** A pool of workers that compute g^exponent mod N from one generator table. */
export class GeneratorPowerWorkers {
  private workers: PooledWorker[] | undefined;
  private failed = false;
  private nextId = 0;

  /** Whether the pool can take work (it is started on first use; after a failure it stays down). */
  available(): boolean {
    return !this.failed;
  }

  /**
   * g^exponent mod N on a worker (started on first use from `contents`, the complete table). Rejects when the pool
   * failed; callers then compute on the main thread.
   */
  power(contents: TableContents, modulus: bigint, exponent: Uint8Array): Promise<bigint> {
    const workers = (this.workers ??= this.start(contents, modulus));
    // The least busy worker (ties: the first), so that a burst spreads over all of them.
    let chosen = workers[0]!;
    for (const w of workers) if (w.pending.size < chosen.pending.size) chosen = w;
    const id = this.nextId++;
    return new Promise<bigint>((resolve, reject) => {
      chosen.pending.set(id, { resolve, reject });
      if (chosen.pending.size === 1) chosen.worker.ref();
      chosen.worker.postMessage({ id, exponent });
    });
  }

  private start(contents: TableContents, modulus: bigint): PooledWorker[] {
    const table = new SharedArrayBuffer(contents.bytes.length);
    new Uint8Array(table).set(contents.bytes);
    const setup: WorkerSetup = { table, entryCount: contents.entries, modulusHex: modulus.toString(16), elementBytes: contents.elementBytes, windowBits: contents.windowBits };
    return Array.from({ length: workerCount() }, () => {
      // execArgv []: no TypeScript loader (or other flags of the service's process) in a worker that needs none.
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: setup, execArgv: [] });
      const pooled: PooledWorker = { worker, pending: new Map() };
      worker.unref(); // referenced only while it has work in hand: it never keeps a process alive on its own
      worker.on("message", ({ id, power }: { id: number; power: bigint }) => {
        const waiter = pooled.pending.get(id);
        pooled.pending.delete(id);
        if (pooled.pending.size === 0) worker.unref();
        waiter?.resolve(power);
      });
      worker.on("error", (e) => this.fail(e));
      worker.on("exit", (code) => this.fail(new Error(`SRP power worker exited with code ${code}`)));
      return pooled;
    });
  }

  /** Stops every worker and fails what they had in hand (the callers compute it again on the main thread). */
  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const workers = this.workers ?? [];
    this.workers = undefined;
    for (const w of workers) {
      for (const waiter of w.pending.values()) waiter.reject(e);
      w.pending.clear();
      void w.worker.terminate();
    }
  }
}
