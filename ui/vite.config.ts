// Vite builds the UI into ui/dist, which the Tauri app embeds. Tests run in jsdom.
import { defineConfig } from "vite";

export default defineConfig({
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // One CSS file and hashed assets: the strict CSP allows 'self' only.
    cssCodeSplit: false,
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.ts"],
  },
});
