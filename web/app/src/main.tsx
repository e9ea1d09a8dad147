/** Entry point: the font (Latin and Arabic subsets of Vazirmatn, bundled), the styles, and the app. */
import "@fontsource/vazirmatn/latin-400.css";
import "@fontsource/vazirmatn/arabic-400.css";
import "@fontsource/vazirmatn/latin-700.css";
import "@fontsource/vazirmatn/arabic-700.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";

const root = document.getElementById("root");
if (root) {
  root.textContent = "";
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
