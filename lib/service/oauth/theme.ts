// How an app client's branding looks on the hosted pages: a managed login branding style (colors of the page, form,
// text, links and buttons, and its form or header logo) when the client has one, else the classic hosted UI
// customization (SetUICustomization's CSS, which only styles AWS's customizable classes, and its logo). Colors are
// checked to be hex before they reach the page; CSS is kept inside its <style> element.
import type { ServiceContext } from "../context";
import type { BrandingSettings } from "../branding-defaults";
import { brandingForClient, type BrandingAsset, type ClientBranding } from "../operations/managed-login-branding";
import { uiCustomizationFor } from "../operations/pool-settings";

/** What a page adds to its own look: CSS after its own, and a logo above the form. */
export interface PageTheme {
  css: string;
  logo?: { src: string; alt: string };
}

const MIME: Record<BrandingAsset["Extension"], string> = { PNG: "image/png", JPEG: "image/jpeg", SVG: "image/svg+xml", WEBP: "image/webp", ICO: "image/x-icon" };

/** The value at `path` of a settings document, when it is there. */
function at(settings: BrandingSettings, path: string): unknown {
  let value: unknown = settings;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A branding color (RRGGBBAA or RRGGBB hex) as CSS, or undefined when it is not one. */
function color(settings: BrandingSettings, path: string): string | undefined {
  const value = at(settings, path);
  return typeof value === "string" && /^[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?$/.test(value) ? `#${value}` : undefined;
}

/** Keeps style text inside its <style> element (no `</style>`, no markup). */
function containedCss(css: string): string {
  return css.replace(/</g, "\\3c ");
}

function managedLoginTheme(branding: ClientBranding): PageTheme {
  const s = branding.settings;
  const mode = at(s, "categories.global.colorSchemeMode") === "DARK" ? "darkMode" : "lightMode";
  const rules: string[] = [];
  const rule = (selector: string, declarations: Array<[string, string | undefined]>) => {
    const body = declarations.filter((d): d is [string, string] => d[1] !== undefined).map(([k, v]) => `${k}:${v}`).join(";");
    if (body) rules.push(`${selector}{${body}}`);
  };
  rule("body", [["background", color(s, `components.pageBackground.${mode}.color`)]]);
  rule("main", [["background", color(s, `components.form.${mode}.backgroundColor`)], ["border", color(s, `components.form.${mode}.borderColor`)?.replace(/^/, "1px solid ")]]);
  rule("h1,h2", [["color", color(s, `components.pageText.${mode}.headingColor`)]]);
  rule("p,label", [["color", color(s, `components.pageText.${mode}.bodyColor`)]]);
  rule("a", [["color", color(s, `componentClasses.link.${mode}.defaults.textColor`)]]);
  rule("button[type=submit]", [
    ["background", color(s, `components.primaryButton.${mode}.defaults.backgroundColor`)],
    ["color", color(s, `components.primaryButton.${mode}.defaults.textColor`)],
  ]);
  rule("button[type=submit]:hover", [["background", color(s, `components.primaryButton.${mode}.hover.backgroundColor`)]]);
  rule("input,select", [["background", color(s, `componentClasses.input.${mode}.defaults.backgroundColor`)], ["border-color", color(s, `componentClasses.input.${mode}.defaults.borderColor`)]]);
  const colorMode = mode === "darkMode" ? "DARK" : "LIGHT";
  const image = (category: BrandingAsset["Category"]) =>
    branding.assets.find((a) => a.Category === category && a.Bytes && (a.ColorMode === colorMode || a.ColorMode === "DYNAMIC"))
    ?? branding.assets.find((a) => a.Category === category && a.Bytes);
  const logoAsset = (at(s, "components.form.logo.enabled") === true ? image("FORM_LOGO") : undefined)
    ?? (at(s, "categories.global.pageHeader.enabled") === true ? image("PAGE_HEADER_LOGO") : undefined);
  return {
    css: rules.join("\n"),
    ...(logoAsset ? { logo: { src: `data:${MIME[logoAsset.Extension]};base64,${logoAsset.Bytes}`, alt: "Logo" } } : {}),
  };
}

/** The theme of the pages an app client's users see; undefined for Cognito's own look. */
export function pageThemeFor(ctx: ServiceContext, poolId: string, clientId: string): PageTheme | undefined {
  const branding = brandingForClient(ctx, poolId, clientId);
  if (branding) return managedLoginTheme(branding);
  const classic = uiCustomizationFor(ctx, poolId, clientId);
  if (!classic) return undefined;
  return {
    css: containedCss(classic.css ?? ""),
    ...(classic.imageUrl ? { logo: { src: classic.imageUrl, alt: "Logo" } } : {}),
  };
}
