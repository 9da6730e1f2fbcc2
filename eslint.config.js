// @ts-check
/**
 * ESLint (flat config) with typescript-eslint: the recommended rules, plus a few type-aware rules that catch real
 * bugs in this code base — promises nobody awaits, promises passed where a callback's result is ignored, `await` on
 * what is not a promise, throwing what is not an Error, switches that miss a case of a union or enum. Formatting is
 * Prettier's alone: no stylistic rule is enabled here.
 *
 * Type information comes from the project service (the tsconfig.json each file belongs to), once per run.
 */
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Generated or installed output, and deployment records.
  globalIgnores([
    "artifacts/",
    "cache/",
    "types/",
    "coverage/",
    "dist/",
    "app/dist/",
    "ignition/deployments/",
    "deployments/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/no-for-in-array": "error",
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // `_`-prefixed names are deliberately unused (destructuring to drop a field, an ignored callback argument).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Plain scripts run by Node (the prepare script, this file).
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      sourceType: "module",
      globals: { console: "readonly", process: "readonly" },
    },
  },
);
