// Test helper run as a child process: opens a DurableStore on argv[2] with a tiny checkpoint threshold (so that SQLite
// checkpoints the WAL into the database every few commits) and writes 2 KiB records forever from 8 concurrent
// writers, printing "ack <key>" once each write is committed. The parent kills it with SIGKILL at a random moment.
import { DurableStore } from "../../lib/service/store";

async function main(): Promise<void> {
  const [dir, prefix] = process.argv.slice(2);
  const store = await DurableStore.open(dir, { checkpointPages: 8 });
  const padding = "p".repeat(2048);
  let next = 0;
  const writer = async () => {
    for (;;) {
      const key = `${prefix}-${next++}`;
      store.put("records", key, { key, padding });
      if (next % 3 === 0) store.delete("records", `${prefix}-${next - 2}-never`);
      await store.commit();
      process.stdout.write(`ack ${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}

void main();
