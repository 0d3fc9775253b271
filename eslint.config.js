import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import backstage from '@backstage/eslint-plugin';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-types/**', '**/node_modules/**', '**/coverage/**', 'plugins/grafana-app/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Tests read untyped HTTP bodies (supertest) field by field; typing each one adds noise, not safety.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Backstage's package boundaries: a frontend plugin never imports a backend one (shared code lives in
    // backstage-common), and every import is declared in the importing package.
    files: ['plugins/backstage-*/**/*.{ts,tsx}'],
    plugins: { '@backstage': backstage },
    rules: {
      '@backstage/no-mixed-plugin-imports': 'error',
      '@backstage/no-undeclared-imports': 'error',
      '@backstage/no-relative-monorepo-imports': 'error',
      '@backstage/no-self-package-imports': 'error',
    },
  },
);
