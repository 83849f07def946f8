import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every operation in src/graphql/*.graphql, checked against the
// committed SDL. The output is committed, so a build never needs to run this.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/graphql/**/*.graphql"],
  overwrite: true,
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        // Plain strings in the bundle: no GraphQL parser at run time.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        strictScalars: true,
        scalars: { DateTime: "string", ID: "string" },
        skipTypename: true,
        dedupeFragments: true,
      },
    },
  },
};

export default config;
