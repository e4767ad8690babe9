import { useEffect, useState } from "react";
import type { ChartTheme } from "../bindings/ChartTheme";
import type { Theme } from "../bindings/Theme";

/** The theme actually shown: the setting, or the system's when set to follow it. */
export function useResolvedTheme(setting: Theme): ChartTheme {
  const query = typeof window !== "undefined" && window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const [systemDark, setSystemDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const onChange = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [query]);
  const resolved: ChartTheme = setting === "system" ? (systemDark ? "dark" : "light") : setting;
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return resolved;
}
