// graphql-codegen: the typed client of the dashboards' operations (operations/*.graphql) and
// the trusted-documents manifest, both generated from the emitted schema (schema.graphql) and
// committed. `npm run operations:generate` writes them, `npm run operations:check` fails when a
// document no longer validates or the committed files differ from what the schema and the
// documents give (CI runs it after the schema drift step).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["operations/*.graphql"],
  // Every document must validate against the schema (codegen stops otherwise), and every
  // operation and fragment name is unique over operations/.
  ignoreNoDocuments: false,
  errorsOnly: false,
  generates: {
    "operations/generated/": {
      preset: "client",
      presetConfig: {
        // The screens read what they select; masking is for component trees (useFragment).
        fragmentMasking: false,
        // persisted-documents.json: sha256 of each operation's printed document (with its
        // fragments) → that document. The service loads it as its trusted documents
        // (TRUSTED_DOCUMENTS, src/core/http/trusted-documents.ts); each generated document
        // carries its hash in `__meta__.hash` to send as the APQ hash.
        persistedDocuments: { hashAlgorithm: "sha256", mode: "embedHashInDocument" },
      },
      config: {
        // Only the types the operations use, so a schema change shows here only where a screen sees it.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        documentMode: "string",
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: {
          DateTimeISO: { input: "string", output: "string" },
          LocalDate: { input: "string", output: "string" },
        },
      },
    },
  },
};

export default config;
