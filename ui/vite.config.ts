import { defineConfig } from "vitest/config";

// Vite serves the UI in development (`npm run dev`: in a plain browser it
// runs on the fake backend) and builds it into ui/dist, which the app embeds.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true, fs: { allow: [".."] } },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      onwarn(warning, warn) {
        // lucide-react marks modules "use client" for React Server Components; irrelevant here.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
