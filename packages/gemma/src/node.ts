/**
 * @gemma-edge/gemma/node — what only works on Node: byte sources over files on disk and model folders over
 * directories. Kept out of the main entry so browser and worker bundles never see it.
 */

export { demoModelPath } from "./sources/demo-model.js";
export { fileSource } from "./sources/node-file.js";
export { folderSource } from "./sources/node-folder.js";
