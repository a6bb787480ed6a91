// Test helper run as a child process: opens a DurableStore on argv[2], prints "opened <pid>" (or "refused <message>"),
// holds the store for argv[3] ms (or until killed), then closes it and prints "closed <pid>".
import { DurableStore } from "../../lib/service/store";

async function main(): Promise<void> {
  const [dir, holdMs] = process.argv.slice(2);
  let store: DurableStore;
  try {
    store = await DurableStore.open(dir);
  } catch (e) {
    console.log(`refused ${(e as Error).message}`);
    return;
  }
  console.log(`opened ${process.pid}`);
  store.put("owners", String(process.pid), { at: Date.now() });
  await store.commit();
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  console.log(`closed ${process.pid}`);
  await store.close();
}

void main();
