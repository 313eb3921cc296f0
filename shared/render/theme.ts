/** The one look of Paperboy's emails and archive pages: colors (light and dark), fonts, the head CSS. */

/** Light colors are inlined (every client); the dark ones arrive through the prefers-color-scheme block. */
export const color = {
  page: "#f3f1ec",
  card: "#ffffff",
  border: "#e3ded4",
  text: "#1c1f23",
  muted: "#575d66",
  accent: "#9a3412",
  chipBg: "#fbeee6",
  noteBg: "#fff6e0",
  noteBorder: "#d08a00",
} as const;

const dark = {
  page: "#121417",
  card: "#1c1f24",
  border: "#30353d",
  text: "#ebe8e3",
  muted: "#aab1ba",
  accent: "#fdba8c",
  chipBg: "#3b2519",
  noteBg: "#2d2612",
  noteBorder: "#d9a21b",
} as const;

export const font = {
  sans: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  serif: 'Georgia, "Times New Roman", Times, serif',
} as const;

/**
 * Head CSS: responsive padding for small screens and the dark palette. Class names are the hooks; the
 * inline light styles stay the fallback for clients that drop <style> blocks. Static text, no feed data.
 */
export const headCss = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
body { margin: 0; padding: 0; -webkit-text-size-adjust: 100%; }
a { word-break: break-word; }
.pb-wrap { word-break: break-word; overflow-wrap: anywhere; }
@media only screen and (max-width: 520px) {
  .pb-outer { padding: 12px 10px !important; }
  .pb-card { padding: 16px 14px !important; }
  .pb-thumb { width: 64px !important; height: auto !important; }
  .pb-thumb-cell { width: 76px !important; }
  .pb-masthead { font-size: 26px !important; }
}
@media (prefers-color-scheme: dark) {
  .pb-body, .pb-outer { background: ${dark.page} !important; color: ${dark.text} !important; }
  .pb-card { background: ${dark.card} !important; border-color: ${dark.border} !important; }
  .pb-text { color: ${dark.text} !important; }
  .pb-muted { color: ${dark.muted} !important; }
  .pb-accent { color: ${dark.accent} !important; }
  .pb-chip { color: ${dark.accent} !important; background: ${dark.chipBg} !important; }
  .pb-why { color: ${dark.muted} !important; border-color: ${dark.accent} !important; }
  .pb-note { background: ${dark.noteBg} !important; border-color: ${dark.noteBorder} !important; color: ${dark.text} !important; }
  .pb-rule { border-color: ${dark.border} !important; }
  .pb-rule-strong { border-color: ${dark.text} !important; }
  .pb-thumb { border-color: ${dark.border} !important; }
}
`;
