// Test support: asserts that an AWS SDK call fails with a given exception name and message, as a 400.
import assert from "node:assert/strict";

/** Asserts that `promise` fails with the AWS exception `name` and exactly `message` (or a message matching a RegExp). */
export async function rejectsWithAwsError(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (typeof message === "string") assert.equal(err.message, message);
    else if (message) assert.match(err.message ?? "", message);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
}
