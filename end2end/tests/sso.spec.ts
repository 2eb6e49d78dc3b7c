import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// Sign-in through a real OpenID provider in Chromium: testkit's npm `oidc-provider` (its
// development pages take any login name), a Strongbox that maps the provider's group `ops` to
// write in `prod`, and the provider's own sign-out page at the end. The provider is reached as
// `localhost` and Strongbox as 127.0.0.1, so that each has its own cookies, as on two hosts:
// cookies ignore the port, and Strongbox's sign-out clears its site's cookies (Clear-Site-Data),
// which would otherwise take the provider's session cookie too and skip its sign-out page.
const SB_PORT = 18194;
const IDP_PORT = 18195;
const base = `http://127.0.0.1:${SB_PORT}`;
const idpBase = `http://localhost:${IDP_PORT}`;

function provider(dir: string): Promise<ChildProcess> {
  const accounts = join(dir, 'accounts.json');
  writeFileSync(accounts, JSON.stringify({ carol: { groups: ['ops'] } }));
  const child = spawn('node', ['../testkit/oidc/provider.mjs'], {
    env: {
      ...process.env,
      OIDC_PORT: String(IDP_PORT),
      OIDC_HOST: 'localhost',
      OIDC_CLIENT_ID: 'strongbox',
      OIDC_CLIENT_SECRET: 'e2e-client-secret',
      OIDC_REDIRECT_URIS: `${base}/auth/oidc/callback`,
      OIDC_ACCOUNTS: accounts,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('listening ')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the provider exited with ${code}`)));
  });
}

test('a person signs in through the provider, gets access from a group, and signs out of both', async ({ browser }) => {
  test.skip(test.info().project.name !== 'sqlite', 'one database is enough for the protocol');
  const dir = mkdtempSync(join(tmpdir(), 'strongbox-sso-'));
  const secret = join(dir, 'client-secret');
  writeFileSync(secret, 'e2e-client-secret');
  const idp = await provider(dir);
  const server = spawn('bash', ['./start-server.sh', String(SB_PORT)], {
    env: {
      ...process.env,
      STRONGBOX_OIDC_ISSUER: idpBase,
      STRONGBOX_OIDC_CLIENT_ID: 'strongbox',
      STRONGBOX_OIDC_CLIENT_SECRET_FILE: secret,
      STRONGBOX_OIDC_REDIRECT_URL: `${base}/auth/oidc/callback`,
      STRONGBOX_OIDC_DISPLAY_NAME: 'Example IdP',
      STRONGBOX_OIDC_GROUPS: 'ops=prod:write',
    },
    stdio: 'ignore',
  });
  try {
    await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 }).toBe(200);
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/models/prod/secrets');
    // Clicked once the page runs its code, as a person clicks: the router must leave the
    // provider's link to the browser (it is the server's route, not a page of the app).
    await hydrated(page);
    await page.getByRole('link', { name: 'Sign in with Example IdP' }).click();
    // The provider's development pages: any login name, then consent.
    await page.locator('input[name="login"]').fill('carol');
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: /sign-in/i }).click();
    await page.getByRole('button', { name: /continue/i }).click();
    await expect(page).toHaveURL(`${base}/models/prod/secrets`);
    await expect(page.getByRole('heading', { name: /Secrets/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'carol' })).toBeVisible();
    // Write from the ops group: the add button is there.
    await expect(page.getByRole('button', { name: 'Add secret' })).toBeVisible();

    // Signing out (from the running page, by a server function) goes on to the provider's end-session page, which asks, then comes back to
    // Strongbox's sign-in page.
    await hydrated(page);
    const ended = page.waitForRequest((r) => r.url().startsWith(`${idpBase}/session/end?id_token_hint=`));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await ended;
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page).toHaveURL(`${base}/login`);
    await page.goto('/models');
    await expect(page).toHaveURL(/\/login\?next=/);
    // The provider's session ended too: signing in again asks for the login name.
    await hydrated(page);
    await page.getByRole('link', { name: 'Sign in with Example IdP' }).click();
    await expect(page.locator('input[name="login"]')).toBeVisible();
    await context.close();
  } finally {
    server.kill();
    idp.kill();
  }
});
