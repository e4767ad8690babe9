import "@fontsource-variable/inter";
import "./styles.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import type { Backend } from "./api/backend";
import { BackendContext } from "./api/context";
import { createFakeBackend } from "./api/fake";
import { isTauri, tauriBackend } from "./api/tauri";

// Inside the app: Tauri IPC. In a plain browser (npm run dev): the fake backend.
const backend: Backend = isTauri() ? tauriBackend : createFakeBackend({ firstRun: true, delayMs: 300 });

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>
  </StrictMode>,
);
