import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const lib = createRequire(import.meta.url)(path.join(root, 'scripts', 'build-lib.cjs')) as { electronBinary(): { path?: string; reason?: string } };
const binary = lib.electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test.describe('Electron app', () => {
  test.skip(!binary.path, `Electron binary not present here: ${binary.reason ?? ''}`);
  test.skip(!hasDisplay, 'no display for Electron windows');

  test('launches the real app with a hardened window and the shell', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-electron-'));
    const app = await electron.launch({ executablePath: binary.path!, args: [root], env: { ...process.env, HTMP_DATA_DIR: dataDir } });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('nav-cases')).toBeVisible();
      // What the page can reach: only the bridge's two functions, no Node.
      const reach = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as { htmp?: object }).htmp ?? {}).sort(),
      }));
      expect(reach).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'onEvent'] });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      await window.getByTestId('lang-ru').click();
      await expect(window.getByTestId('nav-cases')).toHaveText('Дела');
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
