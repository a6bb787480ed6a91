// Powers of SRP's generator on worker threads (lib/service/srp-power-workers.ts): they equal OpenSSL's and the main
// thread's table lookups, a burst is spread over the pool and answered in full, and the pool does not keep a process
// alive. The service's verifier and password check off the main thread give the same answers as on it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createDiffieHellman, randomBytes } from "node:crypto";
import * as path from "node:path";
import { GeneratorTable } from "../../lib/service/srp-generator-table";
import { GeneratorPowerWorkers } from "../../lib/service/srp-power-workers";
import { DEFAULT_PROVEN_PASSWORDS, setProvenPasswordCapacity } from "../../lib/service/proven-passwords";
import {
  createPasswordVerifier, createPasswordVerifierOffMainThread, passwordMatchesVerifier, passwordMatchesVerifierOffMainThread, generatorTableComplete, SRP_G, SRP_N,
} from "../../lib/service/srp";

const group = createDiffieHellman(Buffer.from(SRP_N.toString(16), "hex"), Buffer.from([Number(SRP_G)]));
function openSslPower(exponent: Buffer): bigint {
  group.setPrivateKey(exponent);
  return BigInt(`0x${group.generateKeys().toString("hex")}`);
}

async function builtTable(): Promise<GeneratorTable> {
  const table = new GeneratorTable(SRP_N, SRP_G);
  table.startBuilding();
  for (let turns = 0; !table.complete() && turns < 1000; turns++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(table.complete(), true);
  return table;
}

test("worker powers equal OpenSSL's and the main thread's, for a burst larger than the pool", async () => {
  const table = await builtTable();
  const workers = new GeneratorPowerWorkers();
  const exponents = [Buffer.from([1]), Buffer.from([0, 0, 2]), Buffer.alloc(32, 0xff), ...Array.from({ length: 60 }, () => randomBytes(32))];
  const powers = await Promise.all(exponents.map((e) => workers.power(table.contents()!, SRP_N, e)));
  exponents.forEach((e, i) => {
    assert.equal(powers[i], openSslPower(e), `exponent ${e.toString("hex")}`);
    assert.equal(powers[i], table.power(e));
  });
  assert.equal(workers.available(), true);
});

test("under load (the table complete), a verifier made off the main thread checks out on it, and the reverse; wrong passwords fail both ways", async () => {
  const pool = "us-east-1_workers";
  // 64 powers make the service's module build its table (in memory: no cache directory is set here).
  for (let i = 0; i < 64; i++) createPasswordVerifier(pool, `warm${i}`, "x");
  for (let turns = 0; !generatorTableComplete() && turns < 1000; turns++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(generatorTableComplete(), true);
  // Without the password memo every check computes the power; with it, the right password is answered from the memo.
  for (const memo of [0, DEFAULT_PROVEN_PASSWORDS]) {
    setProvenPasswordCapacity(memo);
    for (let i = 0; i < 12; i++) {
      const made = i % 2 ? await createPasswordVerifierOffMainThread(pool, `user${i}`, `Passw0rd-${i}`) : createPasswordVerifier(pool, `user${i}`, `Passw0rd-${i}`);
      assert.equal(passwordMatchesVerifier(pool, `user${i}`, `Passw0rd-${i}`, made.salt, made.verifier), true);
      assert.equal(await passwordMatchesVerifierOffMainThread(pool, `user${i}`, `Passw0rd-${i}`, made.salt, made.verifier), true);
      assert.equal(await passwordMatchesVerifierOffMainThread(pool, `user${i}`, "wrong", made.salt, made.verifier), false);
      assert.equal(await passwordMatchesVerifierOffMainThread(pool, `other${i}`, `Passw0rd-${i}`, made.salt, made.verifier), false);
    }
  }
  assert.equal(await passwordMatchesVerifierOffMainThread(pool, "u", "p", "zz", "not hex"), false);
  assert.equal(await passwordMatchesVerifierOffMainThread(pool, "u", "p", "01", SRP_N.toString(16)), false);
});

test("a process whose pool has computed powers exits on its own", () => {
  const script = `
    const { GeneratorTable } = require(${JSON.stringify(path.resolve(__dirname, "../../lib/service/srp-generator-table"))});
    const { GeneratorPowerWorkers } = require(${JSON.stringify(path.resolve(__dirname, "../../lib/service/srp-power-workers"))});
    const { SRP_N, SRP_G } = require(${JSON.stringify(path.resolve(__dirname, "../../lib/service/srp"))});
    const table = new GeneratorTable(SRP_N, SRP_G);
    table.startBuilding();
    const wait = () => table.complete() ? new GeneratorPowerWorkers().power(table.contents(), SRP_N, Buffer.from([7])).then((p) => console.log(p === 2n ** 7n ? "ok" : "wrong")) : setImmediate(wait);
    wait();
  `;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "ok");
});
