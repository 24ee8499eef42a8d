/** What the app's HTML pages (the playground, the dashboard) share: the document around them, and their JSON config. */

export interface HtmlPage {
  title: string;
  /** The lines after the title in <head>, indented by four spaces. */
  head: string;
  /** The lines of <body>, indented by four spaces. */
  body: string;
}

/** A whole page: English, UTF-8, sized to the device's width. */
export function htmlPage(page: HtmlPage): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${page.title}</title>
${page.head}
  </head>
  <body>
${page.body}
  </body>
</html>
`;
}

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
