import { defineConfig } from "vitest/config";

export default defineConfig({
  build: {
    // Hashed file names under /assets: Lobby serves these as immutable, index.html as no-cache.
    assetsDir: "assets",
    sourcemap: true,
  },
  server: {
    // `npm run dev`: the API and the hub come from a Lobby on :8080 (scripts/run.sh).
    proxy: { "/api": { target: "http://localhost:8080", ws: true } },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
