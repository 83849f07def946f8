import { fileURLToPath } from "node:url";
import { NodePackageImporter } from "sass";
import { defineConfig, type Plugin } from "vite";

// GOV.UK Frontend's fonts and images, resolved from node_modules so Vite
// copies them into dist/assets/ with a content hash: nothing loads from
// another origin (the server's Content-Security-Policy forbids it).
const govukAssets = fileURLToPath(
  new URL("./node_modules/govuk-frontend/dist/govuk/assets", import.meta.url),
);

/**
 * GOV.UK Frontend still carries Internet Explorer hacks such as
 * `@media screen and (min-width: 0\0)` and `@media screen\0`, which Sass
 * turns into U+FFFD; the CSS minifier refuses one of them, and no current
 * browser applies any. Drop those @media blocks.
 */
function dropIeMediaHacks(): Plugin {
  const hack = /@media[^{]*(?:\uFFFD|\\0)[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g;
  return {
    name: "qanda:drop-ie-media-hacks",
    transform(code, id) {
      if (!/\.s?css($|\?)/.test(id)) return null;
      const cleaned = code.replace(hack, "");
      return cleaned === code ? null : { code: cleaned, map: null };
    },
  };
}

const api = process.env.QANDA_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/admin/",
  plugins: [dropIeMediaHacks()],
  resolve: {
    alias: { "@govuk-assets": govukAssets },
  },
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  css: {
    preprocessorOptions: {
      scss: {
        importers: [new NodePackageImporter()],
        // GOV.UK Frontend still uses a few Sass features that newer Sass
        // deprecates; those warnings are theirs to fix, not ours.
        quietDeps: true,
      },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Never inline assets as data: URLs; fonts from data: are refused by
    // the CSP (font-src 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
    // Sass compiling GOV.UK Frontend is most of the build; no need to say so each time.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    // `npm run dev` (and `vite preview`) against a running `qanda serve`;
    // QANDA_API picks another address.
    proxy: {
      "/graphql": api,
      "/pages": api,
    },
  },
});
