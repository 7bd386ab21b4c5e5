export interface PdfOptions {
  /** The system's Chromium (Debian: /usr/bin/chromium); a browser is never downloaded. */
  readonly executablePath: string;
  /** Bounds the browser's start and the printing each; a hung browser is killed. */
  readonly timeoutMs?: number;
}

/**
 * Prints the report's HTML (`toHtml`) to PDF with headless Chromium: A4 landscape, backgrounds
 * (the heatmaps) kept, a page-number footer asked for (docs/reports.md). The page loads nothing from
 * the network.
 */
export async function toPdf(html: string, options: PdfOptions): Promise<Uint8Array> {
  const timeout = options.timeoutMs ?? 180_000;
  // Loaded when a PDF is asked for: playwright-core is large, and every collector start would pay for it.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    timeout,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.setContent(html, { waitUntil: 'load', timeout });
    const pdf = await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:7pt;width:100%;text-align:right;padding-right:10mm;color:#555">' +
        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
