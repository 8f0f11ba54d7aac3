import { defineConfig } from "vitest/config";

export default defineConfig(({ mode }) => ({
  build: {
    // Hashed file names under /assets: Lobby serves these as immutable, index.html as no-cache.
    assetsDir: "assets",
    // No source maps in the production build Lobby and the image serve: they would publish the
    // full TypeScript sources. `npm run dev` has its own; `vite build --mode development` keeps them.
    sourcemap: mode !== "production",
  },
  server: {
    // `npm run dev`: the API and the hub come from a Lobby on :8080 (scripts/run.sh).
    proxy: { "/api": { target: "http://localhost:8080", ws: true } },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
}));
