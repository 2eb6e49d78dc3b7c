import { test, expect, type Page } from '@playwright/test';
import { hydrated, login, unique } from './helpers';

async function addSecret(page: Page, name: string, values: Record<string, string>) {
  await page.goto('/models/prod/secrets');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add secret' });
  await dialog.getByLabel('Name').fill(name);
  let i = 1;
  for (const [key, value] of Object.entries(values)) {
    await dialog.getByLabel(`Key ${i}`, { exact: true }).fill(key);
    await dialog.getByLabel(`Value ${i}`, { exact: true }).fill(value);
    i += 1;
  }
  await dialog.getByRole('button', { name: 'Add secret' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await hydrated(page);
}

function revisionRows(page: Page) {
  return page.locator('section', { has: page.getByRole('heading', { name: 'Revisions' }) }).locator('tbody tr');
}

test('a writer updates, renames, grants, revokes and removes a revision', async ({ page }) => {
  await login(page, 'writer');
  const name = unique('app-db');
  await addSecret(page, name, { username: 'app', password: 'first' });

  await page.getByRole('button', { name: 'Update' }).click();
  let dialog = page.getByRole('dialog', { name: 'Update secret' });
  const renamed = `${name}-v2`;
  await dialog.getByLabel('Name').fill(renamed);
  await dialog.getByLabel('Key 1', { exact: true }).fill('username');
  await dialog.getByLabel('Value 1', { exact: true }).fill('app');
  await dialog.getByLabel('Key 2', { exact: true }).fill('password');
  await dialog.getByLabel('Value 2', { exact: true }).fill('second');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  await expect(revisionRows(page)).toHaveCount(2);
  await expect(revisionRows(page).first()).toContainText('latest');
  await expect(revisionRows(page).nth(1)).toContainText('obsolete');

  await page.getByRole('button', { name: 'Grant access' }).click();
  dialog = page.getByRole('dialog', { name: 'Grant access' });
  await dialog.getByLabel('mysql').check();
  await dialog.getByLabel('wordpress').check();
  await dialog.getByRole('button', { name: 'Save access' }).click();
  const access = page.locator('section', { has: page.getByRole('heading', { name: 'Access' }) });
  await expect(access.locator('tbody tr')).toHaveCount(2);
  await expect(access).toContainText('mysql');
  await expect(access).toContainText('wordpress');

  await hydrated(page);
  await access.getByRole('button', { name: 'Revoke wordpress' }).click();
  dialog = page.getByRole('dialog', { name: 'Revoke access' });
  await expect(dialog).toContainText('wordpress will no longer be able to read');
  await dialog.getByRole('button', { name: 'Revoke access' }).click();
  await expect(access.locator('tbody tr')).toHaveCount(1);
  await expect(access).not.toContainText('wordpress');

  await hydrated(page);
  await page.getByRole('button', { name: 'Remove' }).click();
  dialog = page.getByRole('dialog', { name: 'Remove secret' });
  await expect(dialog.getByRole('note')).toContainText('All 2 revisions');
  await dialog.getByLabel('What to remove').selectOption('1');
  await expect(dialog.getByRole('note')).toContainText(`Revision 1 of ${renamed} will be deleted`);
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(revisionRows(page)).toHaveCount(1);
  await expect(revisionRows(page).first()).toContainText('2');
  await expect(page.locator('table.audit')).toContainText('revision 1 removed');
});

test('an admin reveals revision 2, and the reveal is audited', async ({ browser }) => {
  const writerContext = await browser.newContext();
  const writer = await writerContext.newPage();
  await login(writer, 'writer');
  const name = unique('reveal-me');
  await addSecret(writer, name, { password: 'one' });
  await writer.getByRole('button', { name: 'Update' }).click();
  const update = writer.getByRole('dialog', { name: 'Update secret' });
  await update.getByLabel('Key 1', { exact: true }).fill('password');
  await update.getByLabel('Value 1', { exact: true }).fill('two-the-second');
  await update.getByRole('button', { name: 'Save' }).click();
  await expect(revisionRows(writer)).toHaveCount(2);
  const url = writer.url();
  await writerContext.close();

  const page = await browser.newPage();
  await login(page, 'admin');
  await page.goto(url);
  await hydrated(page);
  await page.getByRole('button', { name: 'Reveal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reveal values' });
  await expect(dialog.getByLabel('Revision')).toHaveValue('2');
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  const value = dialog.locator('code.value');
  await expect(value).toHaveText(/^•+$/);
  await dialog.getByRole('button', { name: 'Show' }).click();
  await expect(value).toHaveText('two-the-second');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.goto('/models/prod/audit');
  await expect(page.getByRole('row', { name: /secret-reveal/ }).first()).toContainText('admin');
  await page.close();
});
