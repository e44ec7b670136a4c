// Writes src/shaders.generated.ts from src/wgsl/ (run by `npm run build`; a test checks the committed file is current).
import { writeFileSync } from "node:fs";
import { GENERATED, generatedModule } from "./wgsl.mjs";

writeFileSync(GENERATED, generatedModule());
console.log(`wrote ${GENERATED}`);
