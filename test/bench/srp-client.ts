// A fast client side of Cognito's SRP for the benchmark: the same maths as amazon-cognito-identity-js, with the
// modular exponentiations in OpenSSL, so that the SRP row measures the service and not the client's JS BigInteger.
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { formatSrpTimestamp, padHex, SRP_G, SRP_N, srpPoolName } from "../../lib/service/srp";

const N_BUFFER = Buffer.from(SRP_N.toString(16), "hex");
const hexHash = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const K = BigInt(`0x${hexHash(padHex(SRP_N) + padHex(SRP_G))}`);

/**
 * One Diffie-Hellman object for every power: making one per call checks the 3072-bit prime each time (OpenSSL's
 * DH_check), which cost the client more than the whole sign-in costs the service.
 */
const group = createDiffieHellman(N_BUFFER, Buffer.from([2]));

function modPow(base: bigint, exponent: bigint): bigint {
  const hex = exponent.toString(16);
  group.setPrivateKey(Buffer.from(hex.padStart(hex.length + (hex.length % 2), "0"), "hex"));
  return BigInt(`0x${group.computeSecret(Buffer.from(base.toString(16).padStart(768, "0"), "hex")).toString("hex")}`);
}

export class FastSrpClient {
  private readonly a = BigInt(`0x${randomBytes(32).toString("hex")}`);
  /** SRP_A, hex. */
  readonly srpA = modPow(SRP_G, this.a).toString(16);

  constructor(private readonly userPoolId: string) {}

  /** The PASSWORD_VERIFIER challenge responses for `password`. */
  answer(params: Record<string, string>, password: string): Record<string, string> {
    const B = BigInt(`0x${params.SRP_B}`);
    const A = BigInt(`0x${this.srpA}`);
    const userId = params.USER_ID_FOR_SRP;
    const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
    const inner = createHash("sha256").update(`${srpPoolName(this.userPoolId)}${userId}:${password}`).digest("hex");
    const x = BigInt(`0x${hexHash(padHex(BigInt(`0x${params.SALT}`)) + inner)}`);
    const base = (((B - K * modPow(SRP_G, x)) % SRP_N) + SRP_N) % SRP_N;
    const S = modPow(base, this.a + u * x);
    const key = Buffer.from(hkdfSync("sha256", Buffer.from(padHex(S), "hex"), Buffer.from(padHex(u), "hex"), Buffer.from("Caldera Derived Key"), 16));
    const timestamp = formatSrpTimestamp(new Date());
    const signature = createHmac("sha256", key)
      .update(srpPoolName(this.userPoolId))
      .update(userId)
      .update(Buffer.from(params.SECRET_BLOCK, "base64"))
      .update(timestamp)
      .digest("base64");
    return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
  }
}
