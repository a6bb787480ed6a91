// The SRP generator table (lib/service/srp-generator-table.ts): its powers equal OpenSSL's, it is written to the cache
// directory once built and loaded by a fresh table, and a damaged or foreign cache file is refused (powers then come
// from the caller's OpenSSL fallback, never from wrong entries).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createDiffieHellman, createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GeneratorTable } from "../../lib/service/srp-generator-table";
import { SRP_G, SRP_N } from "../../lib/service/srp";

const group = createDiffieHellman(Buffer.from(SRP_N.toString(16), "hex"), Buffer.from([Number(SRP_G)]));
function openSslPower(exponent: Buffer): bigint {
  group.setPrivateKey(exponent);
  return BigInt(`0x${group.generateKeys().toString("hex")}`);
}

async function built(dir: string | undefined): Promise<GeneratorTable> {
  const table = new GeneratorTable(SRP_N, SRP_G);
  table.useCacheDir(dir);
  table.startBuilding();
  for (let turns = 0; !table.complete() && turns < 1000; turns++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(table.complete(), true);
  return table;
}

async function cacheFileIn(dir: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".bin"));
    if (file) return path.join(dir, file);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the table was not written");
}

const exponents = [Buffer.from([1]), Buffer.from([0, 0, 2]), Buffer.alloc(32, 0xff), ...Array.from({ length: 20 }, () => randomBytes(32))];

test("a table built here gives OpenSSL's powers, writes its cache file, and a fresh table reads it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srp-table-"));
  try {
    const fresh = new GeneratorTable(SRP_N, SRP_G);
    fresh.useCacheDir(dir);
    assert.equal(fresh.load(), false, "no cache file yet");
    assert.equal(fresh.power(randomBytes(32)), undefined, "no table before one is built");
    const table = await built(dir);
    for (const e of exponents) assert.equal(table.power(e), openSslPower(e));
    assert.equal(table.power(randomBytes(41)), undefined, "exponents longer than the table are left to the caller");
    const file = await cacheFileIn(dir);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")).length, 0);

    const reader = new GeneratorTable(SRP_N, SRP_G);
    reader.useCacheDir(dir);
    assert.equal(reader.power(randomBytes(32)), undefined, "the file is read when asked, not on a power");
    assert.equal(reader.load(), true);
    for (const e of exponents) assert.equal(reader.power(e), openSslPower(e));
    assert.equal(reader.complete(), true);
    assert.ok(fs.statSync(file).size > 3_900_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged, truncated or foreign cache file is refused", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srp-table-"));
  try {
    await built(dir);
    const file = await cacheFileIn(dir);
    const good = fs.readFileSync(file);
    const refused = (content: Buffer, why: string) => {
      fs.writeFileSync(file, content);
      const reader = new GeneratorTable(SRP_N, SRP_G);
      reader.useCacheDir(dir);
      assert.equal(reader.load(), false, why);
      assert.equal(reader.power(randomBytes(32)), undefined, why);
      assert.equal(reader.complete(), false, why);
    };
    const flipped = Buffer.from(good);
    flipped[1000] ^= 1;
    refused(flipped, "one flipped bit");
    refused(good.subarray(0, good.length - 1), "truncated");
    refused(Buffer.alloc(0), "empty");
    // Self-consistent (its digest matches) but not this group's table: caught by the entries checked against g.
    const foreign = Buffer.from(good);
    foreign.fill(7, 0, foreign.length - 32);
    createHash("sha256").update(foreign.subarray(0, foreign.length - 32)).digest().copy(foreign, foreign.length - 32);
    refused(foreign, "another table with a valid digest");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("without a cache directory the table stays in memory", async () => {
  const table = await built(undefined);
  const e = randomBytes(32);
  assert.equal(table.power(e), openSslPower(e));
});
