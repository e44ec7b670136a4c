/**
 * The local engine's start-up as a progress bar: the download (bytes of total), or the cache hit, then the engine's
 * load of the weights, then ready with the backend it runs on.
 */
import type { LocalProgress } from "@gemma-edge/sdk/local";

export interface BarState {
  /** 0..1, or undefined for an indeterminate bar (a download of unknown size). */
  value: number | undefined;
  label: string;
  phase: "download" | "load" | "ready";
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * @example
 * describeProgress({ status: "download", loaded: 5e6, total: 2e7 }) // { value: 0.25, label: "Downloading 5.0 MB of 20.0 MB", … }
 */
export function describeProgress(p: LocalProgress): BarState {
  switch (p.status) {
    case "download":
      return p.total
        ? { value: p.loaded / p.total, label: `Downloading ${mb(p.loaded)} of ${mb(p.total)}`, phase: "download" }
        : { value: undefined, label: `Downloading ${mb(p.loaded)}`, phase: "download" };
    case "cached":
      return { value: 1, label: `Read ${mb(p.bytes)} from the browser cache`, phase: "download" };
    case "initiate":
      return { value: 0, label: `Loading the weights (${mb(p.bytes)})`, phase: "load" };
    case "progress":
      return {
        value: p.loaded / p.total,
        label: `Loading the weights ${Math.floor((100 * p.loaded) / p.total)}%`,
        phase: "load",
      };
    case "done":
      return { value: 1, label: "Weights loaded, starting the engine", phase: "load" };
    case "ready": {
      const { backend, threads, architecture, parameters } = p.info;
      const on = backend === "wasm" ? `wasm, ${threads} thread${threads === 1 ? "" : "s"}` : backend;
      return {
        value: 1,
        label: `Ready · ${on} · ${architecture}, ${(parameters / 1e6).toFixed(1)}M parameters`,
        phase: "ready",
      };
    }
  }
}
