// The extern behind the simulator's local Cognito `sim.Resource` (platform/sim.w `LocalCognitoCode`). Wing bundles a
// resource's code each time a simulator starts; the service is big, so this file stays tiny and loads the real
// implementation (./local-cognito.ts) from the file ./service-bundle.ts built at compile time, by a `require` the
// bundler does not follow. Only types are imported from ./local-cognito.ts.
import * as fs from "node:fs";
import type * as LocalCognito from "./local-cognito";

export type { LocalCognitoResource, ResourceContext, SimPoolConfig } from "./local-cognito";

/** Requires `file` at run time: a `require` the bundler leaves alone. */
function requireAtRunTime<T>(file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = require;
  return load(file) as T;
}

/**
 * Starts the local Cognito of one `Cognito` (see ./local-cognito.ts `startLocalCognito`), with the implementation
 * loaded from `implementation`, the file `localCognitoBundle()` wrote when the app was compiled.
 */
export async function startLocalCognito(
  ctx: LocalCognito.ResourceContext,
  config: LocalCognito.SimPoolConfig,
  implementation: string,
): Promise<LocalCognito.LocalCognitoResource> {
  if (!fs.existsSync(implementation)) {
    throw new Error(`@winglibs/cognito: the local Cognito's code (${implementation}) is gone; compile the app again`);
  }
  return requireAtRunTime<typeof LocalCognito>(implementation).startLocalCognito(ctx, config);
}
