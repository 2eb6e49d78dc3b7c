import { test, expect } from '@playwright/test';
import { login, unique } from './helpers';

test.use({ javaScriptEnabled: false });

test('without JavaScript a secret can still be added', async ({ page }) => {
  await login(page, 'writer');
  await page.goto('/models/prod/secrets');
  await page.getByRole('button', { name: 'Add secret' }).click();
  await expect(page).toHaveURL(/dialog=add/);
  const dialog = page.locator('dialog[open]');
  const name = unique('nojs');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Key 1', { exact: true }).fill('token');
  await dialog.getByLabel('Value 1', { exact: true }).fill('plain-post');
  await dialog.getByRole('button', { name: 'Add secret' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.goto('/models/prod/secrets?dialog=add');
  await page.locator('dialog[open]').getByLabel('Key 1', { exact: true }).fill('Nope');
  await page.locator('dialog[open]').getByLabel('Value 1', { exact: true }).fill('x');
  await page.locator('dialog[open]').getByRole('button', { name: 'Add secret' }).click();
  await expect(page.locator('dialog[open] .field-error')).toHaveText('key "Nope" not valid');
});
