/** The HTML of the browser pages: one document shape for both, and config JSON that cannot end its <script> element. */
import { describe, expect, it } from 'vitest';
import { dashboardHtml } from '../../../src/server/dashboard.js';
import { htmlPage, scriptJson } from '../../../src/server/html.js';
import { playgroundHtml } from '../../../src/server/playground.js';

/** The JSON text of the `<script id="<id>">` element of a page. */
const configOf = (html: string, id: string): unknown => JSON.parse(new RegExp(`<script id="${id}" type="application/json">(.*?)</script>`).exec(html)![1]!);

describe('the pages', () => {
  it('htmlPage puts the title, head lines and body lines in one whole document', () => {
    const html = htmlPage({ title: 'T', head: '    <link rel="x" />', body: '    <p>B</p>' });
    expect(html).toBe(
      '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n' +
        '    <meta name="viewport" content="width=device-width, initial-scale=1" />\n    <title>T</title>\n    <link rel="x" />\n' +
        '  </head>\n  <body>\n    <p>B</p>\n  </body>\n</html>\n',
    );
  });

  it('scriptJson cannot close its element or open a comment, and parses back to the value', () => {
    const value = { text: '</script><!-- & <b>' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('the dashboard: its title, assets of this version, and its config', () => {
    const html = dashboardHtml({ endpoint: '/graphql', playgroundPath: '/play</script>', assetsPath: '/dashboard/assets', tokenRequired: true, version: 'v1' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>datadragon dashboard</title>');
    expect(html).toContain('<script type="module" src="/dashboard/assets/dashboard.js?v=v1"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/dashboard/assets/dashboard-style.css?v=v1" />');
    expect(configOf(html, 'dashboard-config')).toEqual({ endpoint: '/graphql', playground: '/play</script>', tokenRequired: true });
  });

  it('the playground: its title, GraphiQL from its assets, one tab per example with the admin header when a token is needed', () => {
    const withToken = playgroundHtml({ endpoint: '/graphql', assetsPath: '/playground/assets', tokenRequired: true });
    expect(withToken).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(withToken).toContain('<title>datadragon playground</title>');
    expect(withToken).toContain('<script src="/playground/assets/graphiql.min.js"></script>');
    const config = configOf(withToken, 'playground-config') as { endpoint: string; tabs: { headers?: string }[] };
    expect(config.endpoint).toBe('/graphql');
    expect(config.tabs.some((tab) => tab.headers?.includes('Bearer'))).toBe(true);
    const open = configOf(playgroundHtml({ endpoint: '/graphql', assetsPath: '/a', tokenRequired: false }), 'playground-config') as {
      tabs: { headers?: string }[];
    };
    expect(open.tabs.every((tab) => tab.headers === undefined || tab.headers === '{}')).toBe(true);
  });
});
