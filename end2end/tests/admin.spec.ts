import { test, expect } from '@playwright/test';
import { hydrated, login, PASSWORD, unique } from './helpers';

test('an admin adds an application, makes a token that is shown once, and revokes it', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/models/prod/applications');
  await hydrated(page);
  const app = `app${Date.now().toString(36).replace(/[0-9]/g, '')}`;
  await page.getByLabel('Application name').fill(app);
  await page.getByRole('button', { name: 'Add application' }).click();
  await expect(page.getByRole('row', { name: new RegExp(app) })).toContainText('nothing');
  // Tokens live on the application's own page.
  await page.getByRole('link', { name: app, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/models/prod/applications/${app}$`));
  await hydrated(page);
  const row = page.getByRole('row', { name: new RegExp(app) });
  await expect(row).toContainText('nothing');

  await row.getByLabel(`Label for a new token of ${app}`).fill('ci');
  await row.getByRole('button', { name: 'New token' }).click();
  const shown = page.locator('section.token code.value');
  await expect(shown).toHaveText(/^sbxa_[A-Za-z0-9_-]{43}$/);
  await expect(row).toContainText('ci');

  await page.reload();
  await expect(page.locator('section.token')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('sbxa_');

  await hydrated(page);
  await page.getByRole('button', { name: `Revoke ci of ${app}` }).click();
  await expect(page.getByRole('button', { name: `Revoke ci of ${app}` })).toHaveCount(0);
});

test('a superuser manages users: create, membership, password reset, ending sessions', async ({ browser }) => {
  const rootContext = await browser.newContext();
  const root = await rootContext.newPage();
  await login(root, 'root');
  await expect(root.getByRole('link', { name: 'Users' })).toBeVisible();
  await root.goto('/admin/users');
  await hydrated(root);
  const name = unique('dana');
  const create = root.locator('section', { has: root.getByRole('heading', { name: 'Create a user' }) });
  await create.getByLabel('User name').fill(name);
  await create.getByLabel('Password').fill(PASSWORD);
  await create.getByRole('button', { name: 'Create user' }).click();
  const row = root.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByLabel(`Level for ${name}`).selectOption('write');
  await row.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(root.getByRole('row', { name: new RegExp(name) })).toContainText('prod: write');

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await login(user, name);
  await expect(user.getByRole('link', { name: 'prod' })).toBeVisible();

  await hydrated(root);
  await root.getByRole('row', { name: new RegExp(name) }).getByRole('button', { name: `End the sessions of ${name}` }).click();
  await expect(root.getByRole('status').filter({ hasText: 'Sessions and personal tokens ended.' })).toBeVisible();
  await user.goto('/models');
  await expect(user).toHaveURL(/\/login/);

  await root.getByRole('row', { name: new RegExp(name) }).getByLabel(`New password for ${name}`).fill('brand-new-pass');
  await root.getByRole('row', { name: new RegExp(name) }).getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(root.getByRole('status').filter({ hasText: 'Password reset; sessions and personal tokens ended.' })).toBeVisible();
  await user.getByLabel('User name').fill(name);
  await user.getByLabel('Password').fill('brand-new-pass');
  await user.getByRole('button', { name: 'Sign in' }).click();
  await expect(user).toHaveURL(/\/models/);
  await rootContext.close();
  await userContext.close();
});

test('people who are not superusers cannot reach the users page', async ({ page }) => {
  await login(page, 'admin');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByRole('alert')).toContainText('permission denied');
});

test('people make and revoke their own personal tokens', async ({ page }) => {
  await login(page, 'writer');
  await page.getByRole('link', { name: 'writer' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  const label = unique('laptop');
  await page.getByLabel('Label').fill(label);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('section.token code.value')).toHaveText(/^sbxp_[A-Za-z0-9_-]{43}$/);
  const token = await page.locator('section.token code.value').innerText();
  const models = await page.request.get('/api/v1/models', { headers: { authorization: `Bearer ${token}` } });
  expect(models.status()).toBe(200);
  await expect(page.getByRole('row', { name: new RegExp(label) })).toBeVisible();

  await page.reload();
  await expect(page.locator('body')).not.toContainText('sbxp_');
  await hydrated(page);
  await page.getByRole('button', { name: `Revoke ${label}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(label) })).toHaveCount(0);
  const after = await page.request.get('/api/v1/models', { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test("a superuser sees and revokes another user's personal token", async ({ browser }) => {
  const writerContext = await browser.newContext();
  const writer = await writerContext.newPage();
  await login(writer, 'writer');
  await writer.goto('/account');
  await hydrated(writer);
  const label = unique('stolen');
  await writer.getByLabel('Label').fill(label);
  await writer.getByRole('button', { name: 'Create token' }).click();
  const token = await writer.locator('section.token code.value').innerText();

  const rootContext = await browser.newContext();
  const root = await rootContext.newPage();
  await login(root, 'root');
  await root.goto('/admin/users');
  await hydrated(root);
  const revoke = root.getByRole('button', { name: `Revoke ${label} of writer` });
  await expect(revoke).toBeVisible();
  await revoke.click();
  await expect(revoke).toHaveCount(0);
  const after = await root.request.get('/api/v1/models', { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  await rootContext.close();
  await writerContext.close();
});
