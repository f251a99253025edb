import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API server at /app (see apps/server/src/http/staff-app.ts).
export default defineConfig({
  base: "/app/",
  plugins: [react()],
  // The initial JavaScript budget is 250 KB gzipped (issue 4); Vite's warning is about raw size.
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 900 },
  server: { proxy: { "/api": { target: "http://127.0.0.1:3000", ws: true } } },
});
