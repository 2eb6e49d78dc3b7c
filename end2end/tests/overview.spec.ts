import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { login } from './helpers';

async function serious(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the models list leads to a model overview that counts, flags and links', async ({ page }) => {
  await login(page, 'admin');
  await page.getByRole('link', { name: 'prod', exact: true }).click();
  await expect(page).toHaveURL(/\/models\/prod$/);
  await expect(page.getByRole('heading', { name: 'prod', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  for (const label of ['Secrets', 'Applications', 'Grants']) {
    await expect(page.locator('.counts')).toContainText(label);
  }
  for (const heading of ['Access review', 'Applications behind', 'Rotation and expiry due', 'Latest audit events']) {
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  }
  await expect(page.locator('.recent li').first()).toBeVisible();
  expect(await serious(page)).toEqual([]);
  await page.getByRole('link', { name: 'Review access →' }).click();
  await expect(page).toHaveURL(/\/models\/prod\/access$/);
});

test('an application page holds its tokens, webhook and usage', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/models/prod/applications');
  await page.getByRole('link', { name: 'mysql', exact: true }).click();
  await expect(page).toHaveURL(/\/models\/prod\/applications\/mysql$/);
  await expect(page.getByRole('heading', { name: 'Usage of its grants' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New token' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set webhook' })).toBeVisible();
  expect(await serious(page)).toEqual([]);
  // The list keeps only what a list needs.
  await page.goto('/models/prod/applications');
  await expect(page.getByRole('button', { name: 'New token' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Set webhook' })).toHaveCount(0);
});

test.describe('on a 390-pixel phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const path of ['/models/prod/secrets', '/models/prod/access', '/models/prod/audit', '/models/prod']) {
    test(`${path} fits without sideways scrolling and the header stays on one line`, async ({ page }) => {
      await login(page, 'admin');
      await page.goto(path);
      await expect(page.locator('main h1')).toBeVisible();
      const header = page.locator('header.topbar');
      const box = await header.boundingBox();
      expect(box!.height, 'one line').toBeLessThan(60);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
    });
  }
});
