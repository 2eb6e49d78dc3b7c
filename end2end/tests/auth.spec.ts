import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { hydrated, login, PASSWORD } from './helpers';

test('a page asks for sign-in, and sign-in leads back to it', async ({ page }) => {
  await page.goto('/models/prod/secrets');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('User name').fill('reader');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/models\/prod\/secrets$/);
  await expect(page.getByRole('heading', { name: /Secrets/ })).toBeVisible();
});

test('a wrong password is refused with a message next to the field', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill('writer');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
  await expect(page).toHaveURL(/\/login/);
});

test('sign-out ends the session and clears site data', async ({ page }) => {
  await login(page, 'writer');
  const signOut = page.waitForResponse((r) => r.url().includes('/api/logout'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  const response = await signOut;
  expect((await response.allHeaders())['clear-site-data']).toContain('"cookies"');
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/models');
  await expect(page).toHaveURL(/\/login\?next=%2Fmodels|\/login\?next=\/models/);
});

test('pages carry the security headers', async ({ page }) => {
  await login(page, 'reader');
  const response = await page.goto('/models/prod/secrets');
  const h = response!.headers();
  expect(h['cache-control']).toBe('no-store');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'strongbox');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
});

test('a session left idle expires and leads back to sign-in', async ({ browser }) => {
  const port = 18190;
  const server = spawn('bash', ['./start-server.sh', String(port)], {
    env: { ...process.env, STRONGBOX_SESSION_IDLE_SECONDS: '2' },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 }).toBe(200);
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await login(page, 'reader');
    await page.waitForTimeout(3_000);
    await page.goto('/models');
    await expect(page).toHaveURL(/\/login\?next=/);
    await context.close();
  } finally {
    server.kill();
  }
});

test('repeated failures make sign-in wait', async ({ page }) => {
  await page.goto('/login');
  for (let i = 0; i < 4; i += 1) {
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Too many failed sign-ins. Try again in');
  await expect(page).toHaveURL(/\/login/);
});

test('signing in issues a new session id', async ({ page, context }) => {
  const url = test.info().project.use.baseURL!;
  await context.addCookies([{ name: 'strongbox', value: 'MDEyMzQ1Njc4OWFiY2RlZg', url }]);
  await login(page, 'reader');
  const session = (await context.cookies()).find((c) => c.name === 'strongbox');
  expect(session?.value).toBeTruthy();
  expect(session?.value).not.toBe('MDEyMzQ1Njc4OWFiY2RlZg');
});

test('a command line is approved on /approve-cli after checking its code', async ({ page, request }) => {
  const started = await (await request.post('/api/v1/login/web', { data: { label: 'strongbox cli on e2e-host' } })).json();
  await login(page, 'reader');
  await page.goto(started.approve_path);
  await expect(page.getByLabel('Code')).toHaveText(started.code);
  await expect(page.getByText('strongbox cli on e2e-host')).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Approved. The command line is signed in as you')).toBeVisible();
  const collected = await request.post('/api/v1/login/web/collect', { data: { poll_secret: started.poll_secret } });
  expect(collected.status()).toBe(200);
  expect((await collected.json()).user).toBe('reader');
  await page.goto('/account');
  await expect(page.getByRole('cell', { name: 'strongbox cli on e2e-host', exact: true })).toBeVisible();
});
