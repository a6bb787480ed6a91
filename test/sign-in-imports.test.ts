// The sign-in modules (lib/service/sign-in/) and the operations that use them import no module that imports them back:
// every strongly connected component of their runtime import graph (type-only imports excluded) is a single module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SERVICE = resolve(__dirname, "..", "lib", "service");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Runtime imports of each module of lib/service: `import x from "./y"`, not `import type`. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SERVICE)) {
    const source = readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"(\.[^"]+)"/gms)) {
      const target = resolve(dirname(file), match[1]) + ".ts";
      if (existsSync(target)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one module. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.map((path) => relative(SERVICE, path)).sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test("no import cycle runs through sign-in or the sign-in operations", () => {
  const signIn = (path: string) => path.startsWith("sign-in/") || /^operations\/(authentication|mfa|devices|sign-up)\.ts$/.test(path) || path === "device-records.ts";
  const offending = cycles(importGraph()).filter((component) => component.some(signIn));
  assert.deepEqual(offending, []);
});

test("the check sees sign-in's modules and their imports", () => {
  const graph = importGraph();
  const initiate = graph.get(join(SERVICE, "sign-in", "initiate.ts"));
  assert.ok(initiate && initiate.includes(join(SERVICE, "sign-in", "next-step.ts")));
});
