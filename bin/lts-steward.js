#!/usr/bin/env node
// The CLI entry; `npm run build` compiles src/ to dist/ first.
import { main } from "../dist/cli/main.js";

await main();
