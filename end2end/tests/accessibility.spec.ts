import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hydrated, login, quickSecret, unique } from './helpers';

/** axe-core's findings on the page for the given rules. */
async function violations(page: Page, rules: string[]) {
  const results = await new AxeBuilder({ page }).withRules(rules).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const TABLE_RULES = ['empty-table-header', 'th-has-data-cells', 'label', 'button-name', 'link-name'];

test('tables with action columns have named headers (axe-core)', async ({ page }) => {
  await login(page, 'admin');
  const name = unique('axe');
  await quickSecret(page, name);
  await page.goto('/models/prod/secrets');
  await page.getByRole('link', { name }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Grant access' }).click();
  const dialog = page.getByRole('dialog', { name: 'Grant access' });
  await dialog.getByLabel('mysql').check();
  await dialog.getByRole('button', { name: 'Save access' }).click();
  const access = page.locator('section', { has: page.getByRole('heading', { name: 'Access' }) });
  await expect(access.locator('tbody tr')).toHaveCount(1);
  expect(await violations(page, TABLE_RULES)).toEqual([]);

  await page.goto('/models/prod/applications');
  await hydrated(page);
  expect(await violations(page, TABLE_RULES)).toEqual([]);
});
