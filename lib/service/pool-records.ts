// Records that belong to one user pool, each kind in its own collection of the durable store under `<poolId>/<name>`
// keys (a pool id has no `/`), and dropped with their pool: replicas, log delivery, branding styles, resource servers.
import type { CognitoState } from "./state";

/** The records of one collection, by pool. */
export class PoolRecords<T> {
  constructor(
    private readonly state: CognitoState,
    readonly collection: string,
  ) {}

  get(poolId: string, name: string): T | undefined {
    return this.state.store.get<T>(this.collection, `${poolId}/${name}`);
  }
  put(poolId: string, name: string, value: T): void {
    this.state.store.put(this.collection, `${poolId}/${name}`, value);
  }
  delete(poolId: string, name: string): void {
    this.state.store.delete(this.collection, `${poolId}/${name}`);
  }
  /** Every record of a pool. */
  ofPool(poolId: string): T[] {
    const prefix = `${poolId}/`;
    return [...this.state.store.entries<T>(this.collection)].filter(([key]) => key.startsWith(prefix)).map(([, value]) => value);
  }
  /** Deletes every record of a pool. */
  deleteOfPool(poolId: string): void {
    const prefix = `${poolId}/`;
    for (const key of [...this.state.store.texts(this.collection).keys()]) if (key.startsWith(prefix)) this.state.store.delete(this.collection, key);
  }
}

const recordsOfState = new WeakMap<CognitoState, Map<string, PoolRecords<unknown>>>();

/** The records of `collection`, dropped when their pool is deleted (the cascade is registered once per state). */
export function poolRecords<T>(state: CognitoState, collection: string): PoolRecords<T> {
  let byCollection = recordsOfState.get(state);
  if (!byCollection) recordsOfState.set(state, (byCollection = new Map()));
  let records = byCollection.get(collection);
  if (!records) {
    const created = new PoolRecords<unknown>(state, collection);
    state.cascades.pool.push((poolId) => created.deleteOfPool(poolId));
    byCollection.set(collection, (records = created));
  }
  return records as PoolRecords<T>;
}
