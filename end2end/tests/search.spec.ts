import { test, expect } from '@playwright/test';
import { hydrated, login, quickSecret, unique } from './helpers';

test('the table follows the search as it is typed, and the URL keeps the view', async ({ page }) => {
  await login(page, 'writer');
  const tag = unique('zebra');
  await quickSecret(page, `${tag}-one`);
  await quickSecret(page, `${tag}-two`);
  await quickSecret(page, unique('other'));
  await page.goto('/models/prod/secrets');
  await hydrated(page);
  await page.getByRole('searchbox', { name: 'Search' }).pressSequentially(tag, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(page.locator('table.secrets tbody tr')).toHaveCount(2);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();

  await page.getByLabel('Sort').selectOption('created');
  await page.getByLabel('Order').selectOption('desc');
  await expect(page).toHaveURL(/sort=created/);
  await expect(page).toHaveURL(/dir=desc/);
  await expect(page.locator('table.secrets tbody tr').first()).toContainText(`${tag}-two`);

  const shared = page.url();
  await page.goto('/models');
  await page.goto(shared);
  await expect(page.locator('table.secrets tbody tr')).toHaveCount(2);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(tag);
});

test('a search that matches nothing says so', async ({ page }) => {
  await login(page, 'reader');
  await page.goto('/models/prod/secrets?q=no-such-secret-anywhere');
  await expect(page.getByText('No secrets match this search.')).toBeVisible();
});

test('a sort the table does not have is named, in the words the API uses', async ({ page }) => {
  await login(page, 'reader');
  await page.goto('/models/prod/secrets?sort=size');
  await expect(page.getByText('sort "size" not valid: use name, created or updated')).toBeVisible();
});
