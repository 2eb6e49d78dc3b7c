import { expect, type Page, type BrowserContext } from '@playwright/test';

export const PASSWORD = 'password-123';

/** Signs in through the form, as a person would. */
export async function login(page: Page, user: string) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/models');
}

/** Waits until the page's wasm has taken over, so client-side handlers are live. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true');
}

export function unique(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/** The URL of a server function, read from the action of a form the page renders. */
export async function serverFnPath(page: Page, name: string): Promise<string> {
  const action = await page.locator(`form[action^="/api/${name}"]`).first().getAttribute('action');
  expect(action, `a form posting to ${name}`).toBeTruthy();
  return action!;
}

export async function newUserPage(context: BrowserContext, user: string): Promise<Page> {
  const page = await context.newPage();
  await login(page, user);
  return page;
}

/** Adds a secret through the server function, as the signed-in page would; returns its id. */
export async function quickSecret(page: Page, name: string): Promise<string> {
  await page.goto('/models/prod/secrets?dialog=add');
  const add = await serverFnPath(page, 'add_secret');
  const response = await page.request.post(add, {
    form: { model: 'prod', name, description: '', 'content[entries][0][key]': 'token', 'content[entries][0][value]': 'abc' },
    headers: { accept: 'application/json' },
  });
  expect(response.ok()).toBeTruthy();
  return JSON.parse(await response.text());
}

