// The branding settings a managed login style has where it customizes nothing: what UseCognitoProvidedValues applies
// and what ReturnMergedResources merges under a style's own settings. It follows the shape of AWS's settings document
// (categories, componentClasses, components; colors as RRGGBBAA hex), for the options the local pages can apply: colors
// of the page, form, text, links and buttons, the color scheme, and where the logo goes. AWS's own default document
// has many more options; those are not listed here.

/** A JSON object of branding settings. */
export type BrandingSettings = { [key: string]: unknown };

export const DEFAULT_BRANDING_SETTINGS: BrandingSettings = {
  categories: {
    global: { colorSchemeMode: "LIGHT", spacingDensity: "REGULAR", pageHeader: { enabled: false }, pageFooter: { enabled: false } },
    form: { displayGraphics: true, location: { horizontal: "CENTER", vertical: "CENTER" } },
    auth: { federation: { interfaceStyle: "BUTTON_LIST", order: [] } },
  },
  componentClasses: {
    buttons: { borderRadius: 8 },
    input: {
      borderRadius: 8,
      lightMode: { defaults: { backgroundColor: "ffffffff", borderColor: "7d8998ff" } },
      darkMode: { defaults: { backgroundColor: "0f1b2aff", borderColor: "5f6b7aff" } },
    },
    link: {
      lightMode: { defaults: { textColor: "0972d3ff" }, hover: { textColor: "033160ff" } },
      darkMode: { defaults: { textColor: "539fe5ff" }, hover: { textColor: "89bdeeff" } },
    },
    focusState: { lightMode: { borderColor: "0972d3ff" }, darkMode: { borderColor: "539fe5ff" } },
  },
  components: {
    pageBackground: { image: { enabled: true }, lightMode: { color: "ffffffff" }, darkMode: { color: "0f1b2aff" } },
    form: {
      borderRadius: 8,
      backgroundImage: { enabled: false },
      logo: { enabled: false, formInclusion: "IN", location: "CENTER", position: "TOP" },
      lightMode: { backgroundColor: "ffffffff", borderColor: "c6c6cdff" },
      darkMode: { backgroundColor: "0f1b2aff", borderColor: "424650ff" },
    },
    pageText: {
      lightMode: { headingColor: "000716ff", bodyColor: "414d5cff", descriptionColor: "414d5cff" },
      darkMode: { headingColor: "d1d5dbff", bodyColor: "b6bec9ff", descriptionColor: "b6bec9ff" },
    },
    primaryButton: {
      lightMode: { defaults: { backgroundColor: "0972d3ff", textColor: "ffffffff" }, hover: { backgroundColor: "033160ff", textColor: "ffffffff" } },
      darkMode: { defaults: { backgroundColor: "539fe5ff", textColor: "000716ff" }, hover: { backgroundColor: "89bdeeff", textColor: "000716ff" } },
    },
    secondaryButton: {
      lightMode: { defaults: { backgroundColor: "ffffffff", borderColor: "0972d3ff", textColor: "0972d3ff" } },
      darkMode: { defaults: { backgroundColor: "0f1b2aff", borderColor: "539fe5ff", textColor: "539fe5ff" } },
    },
    favicon: { enabledTypes: ["ICO", "SVG"] },
  },
};

const isObject = (value: unknown): value is BrandingSettings => typeof value === "object" && value !== null && !Array.isArray(value);

/** `over` laid over `under`: objects merge member by member, any other value (arrays included) replaces. */
export function mergeBrandingSettings(under: BrandingSettings, over: BrandingSettings): BrandingSettings {
  const merged: BrandingSettings = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isObject(below) && isObject(value) ? mergeBrandingSettings(below, value) : value;
  }
  return merged;
}
