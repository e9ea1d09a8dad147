import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "web/dist/**", "out/**"] },
  {
    files: ["bin/**/*.js", "scripts/**/*.mjs", "eval/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    files: ["src/model/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["*"] }] },
  },
);
