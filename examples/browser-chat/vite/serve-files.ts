/**
 * A Vite plugin that serves files from outside the project at fixed URLs, in `vite` (dev) and `vite preview`: the
 * demo model lives in the user's cache (`demoModelPath()`), never in the repository. The path is looked up per request,
 * so the model is generated on the first request, not when the server starts.
 */
import { createReadStream, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";

/** URL path → a function giving the file's path on disk. */
export type ServedFiles = Record<string, () => string>;

/**
 * @example
 * plugins: [serveFiles({ "/models/demo.gguf": demoModelPath })]
 */
export function serveFiles(files: ServedFiles): Plugin {
  function serve(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) {
    const pathOf = files[new URL(req.url ?? "/", "http://localhost").pathname];
    if (!pathOf || (req.method !== "GET" && req.method !== "HEAD")) return next();
    let path: string;
    let size: number;
    try {
      path = pathOf();
      size = statSync(path).size;
    } catch (error) {
      return next(error);
    }
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": size,
      // the page keeps the model in the Cache API itself; revalidate here so a regenerated file is noticed
      "cache-control": "no-cache",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(path).on("error", next).pipe(res);
  }
  return {
    name: "browser-chat:serve-files",
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
