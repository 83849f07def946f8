import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
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

/**
 * GraphiQL's stylesheet carries its fonts (Roboto, Fira Code) as data: URLs,
 * which the CSP refuses (font-src 'self'), and which make every visitor
 * download all 34 unicode-range subsets. Write each one out as a file and
 * point the stylesheet at it, so that Vite emits it as a hashed asset like
 * GOV.UK Frontend's fonts and a browser fetches only the subsets it uses.
 */
function extractDataFonts(): Plugin {
  const font = /url\((["']?)data:font\/(woff2?);base64,([A-Za-z0-9+/=]+)\1\)/g;
  let dir = "";
  return {
    name: "qanda:extract-data-fonts",
    // Before Vite's CSS plugin, which resolves (and would keep) the URLs.
    enforce: "pre",
    configResolved(config) {
      dir = join(config.cacheDir, "qanda-data-fonts");
    },
    transform(code, id) {
      if (!/\.css($|\?)/.test(id) || !code.includes("data:font/")) return null;
      mkdirSync(dir, { recursive: true });
      const css = id.replace(/\?.*$/, "");
      const cleaned = code.replace(font, (_match, _quote, format: string, base64: string) => {
        const bytes = Buffer.from(base64, "base64");
        const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
        const file = join(dir, `font-${hash}.${format}`);
        writeFileSync(file, bytes);
        return `url("${relative(dirname(css), file).split("\\").join("/")}")`;
      });
      return { code: cleaned, map: null };
    },
  };
}

const api = process.env.QANDA_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/admin/",
  plugins: [extractDataFonts(), dropIeMediaHacks()],
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
    // GraphiQL (React, CodeMirror, the GraphQL language service) is one page's
    // script of about 1 MB (320 kB gzipped); splitting it would only add requests.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      // Two pages: the admin UI (Preact) and GraphiQL (React), which share nothing.
      input: {
        index: fileURLToPath(new URL("./index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("./graphiql.html", import.meta.url)),
      },
      checks: {
        // Sass compiling GOV.UK Frontend is most of the build; no need to say so each time.
        bundlerTimings: false,
        // GraphiQL's React dependencies mark their modules "use client", which
        // means nothing in a bundle that only ever runs in the browser.
        moduleLevelDirective: false,
      },
    },
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
