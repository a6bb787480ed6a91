// Test support for the browser tests: axe-core (from node_modules, injected into the page) and the serious and
// critical violations it finds, as "<rule> (<impact>, <n> nodes)".
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { REPO } from "./browser";

const AXE = fs.readFileSync(path.join(REPO, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Runs axe-core on the page (its context needs bypassCSP when the page forbids scripts). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    return (await axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, targets: JSON.stringify(v.nodes.map((n) => n.target)) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes: ${v.targets})`);
}
