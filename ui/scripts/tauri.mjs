// Runs the Tauri CLI with its folders spelled out: the app crate and
// tauri.conf.json are at the repository root, the frontend is ui/. Without
// this the CLI guesses folders from the first package.json it finds.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.TAURI_APP_PATH = resolve(uiDir, '..');
process.env.TAURI_FRONTEND_PATH = uiDir;
process.chdir(uiDir);

const cli = createRequire(import.meta.url)('@tauri-apps/cli/main.js');
cli.run(process.argv.slice(2), 'ui/scripts/tauri.mjs').catch((error) => {
  cli.logError(error.message);
  process.exit(1);
});
