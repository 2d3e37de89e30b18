// Opens notebooks in a running JupyterLab with headless Chromium, runs all their cells and checks
// what the page really shows. Usage: node run-notebooks.js CONFIG.json RESULTS.json
//
// CONFIG: { baseUrl, token, chromium, screenshots, notebookTimeoutMs,
//           notebooks: [{ path, renders: ["html"|"mermaid"|"vegalite"], allowStderr: [cellIndex] }],
//           theme: "light"|"dark" (optional), cellShots: DIR (optional), viewportWidth: px (optional) }
// Without "theme" each notebook is pictured in the light theme, then switched to the dark one.
// With it the page must already load in that theme (set in JupyterLab's user settings before the
// run) and stays in it: Mermaid picks its colours when it draws, so a switch after the run would
// leave light diagrams on a dark page. "cellShots" pictures the output area of every code cell
// whose metadata holds "wirelab": {"view": NAME, "draws": "html"|"table"|"mermaid"|"vegalite"} as
// DIR/NAME-THEME.png, once that drawing is in the cell.
// RESULTS: { notebooks: [{ path, problems: [string], seconds, screenshots: [file] }] }
// Exit code 0 when the script itself worked, whatever it found; the Java test judges RESULTS.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [configFile, resultsFile] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));

// What each declared rendering must put into an output area, once drawn.
// JupyterLab 4.5 draws Mermaid as an SVG image inside .jp-RenderedMermaid (an error shows text
// instead), and Vega-Lite as a canvas (or svg) of class "marks" inside .vega-embed; the "..."
// action menu beside it is an svg too, hence "marks".
const RENDERINGS = {
  html: '.jp-OutputArea-output [class^="wl-"], .jp-OutputArea-output [class*=" wl-"]',
  mermaid: '.jp-OutputArea-output.jp-RenderedMermaid img[src^="data:image/svg+xml"], '
    + '.jp-OutputArea-output.jp-RenderedMermaid svg',
  vegalite: '.jp-OutputArea-output.jp-RenderedVegaLite .vega-embed canvas.marks, '
    + '.jp-OutputArea-output.jp-RenderedVegaLite .vega-embed svg.marks',
  table: '.jp-OutputArea-output.jp-RenderedHTMLCommon table',
};
const STDERR = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]';
const DARK = 'JupyterLab Dark';
const LIGHT = 'JupyterLab Light';
const THEMES = { light: LIGHT, dark: DARK };
const WIDTH = config.viewportWidth || 1280;

function log(message) {
  process.stdout.write(`browser: ${message}\n`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const results = [];
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${config.baseUrl}/lab?token=${encodeURIComponent(config.token)}`);
    await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.started !== undefined
      && document.querySelector('#jp-main-dock-panel'), null, { timeout: 60000 });
    await page.evaluate(() => window.jupyterapp.started);
    if (config.theme) {
      const wanted = THEMES[config.theme];
      if (!wanted) throw new Error(`unknown theme '${config.theme}' (known: ${Object.keys(THEMES).join(', ')})`);
      await page.waitForFunction((t) => document.body.dataset.jpThemeName === t, wanted, { timeout: 20000 })
        .catch(async () => {
          const shown = await page.evaluate(() => document.body.dataset.jpThemeName);
          throw new Error(`the page loaded in theme '${shown}', not '${wanted}' (is it set in the user settings?)`);
        });
      await page.waitForTimeout(500);
    } else {
      await setTheme(page, LIGHT);
    }
    for (const nb of config.notebooks) {
      const started = Date.now();
      const problems = [];
      const screenshots = [];
      try {
        await withTimeout(runNotebook(page, nb, problems, screenshots), config.notebookTimeoutMs,
          `did not finish within ${config.notebookTimeoutMs / 1000} s`);
      } catch (e) {
        problems.push(String(e && e.message ? e.message : e));
        await screenshot(page, nb, 'failure', screenshots).catch(() => {});
      }
      await closeAll(page).catch((e) => problems.push(`could not close the notebook: ${e.message}`));
      const seconds = (Date.now() - started) / 1000;
      log(`${nb.path}: ${problems.length === 0 ? 'ok' : problems.length + ' problem(s)'} in ${seconds.toFixed(1)} s`);
      results.push({ path: nb.path, problems, seconds, screenshots });
      writeResults(results);
    }
  } finally {
    await browser.close();
  }
}

async function runNotebook(page, nb, problems, screenshots) {
  // 1. Open it with the notebook factory; the kernel comes from its metadata (wirelab).
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute('docmanager:open', { path: p, factory: 'Notebook' });
  }, nb.path);
  await page.waitForFunction((p) => {
    const w = window.jupyterapp.shell.currentWidget;
    return w && w.context && w.context.path === p && w.isVisible;
  }, nb.path, { timeout: 30000 });
  await pickKernelIfAsked(page);
  // JJava publishes no status before its first execute_request, so JupyterLab shows the kernel
  // as "Unknown" until a cell runs: wait for the connection, not for "idle".
  await page.waitForFunction(() => {
    const s = window.jupyterapp.shell.currentWidget.sessionContext;
    const k = s.session && s.session.kernel;
    return k && k.connectionStatus === 'connected' && k.status !== 'starting' && k.status !== 'dead';
  }, null, { timeout: 90000, polling: 250 }).catch(async () => {
    throw new Error(`the kernel did not start (status ${await kernelStatus(page)})`);
  });
  const kernelName = await page.evaluate(() =>
    window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name);
  if (kernelName !== 'wirelab') {
    problems.push(`runs on kernel '${kernelName}', not 'wirelab'`);
  }

  // 2. Run > Run All Cells, then wait until the kernel is idle again and every code cell has its
  //    execution count (or one failed).
  await page.evaluate(async () => {
    void window.jupyterapp.commands.execute('notebook:run-all-cells');
  });
  await page.waitForFunction(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    if (!k || k.status !== 'idle') return false;
    const cells = w.content.widgets.filter((c) => c.model.type === 'code');
    if (cells.some((c) => c.node.querySelector('.jp-InputPrompt').textContent.includes('*'))) return false;
    // Run All stops at the first error; the cells after it keep no execution count.
    const failed = cells.some((c) => c.model.outputs.toJSON().some((o) => o.output_type === 'error'));
    return failed || cells.every((c) => c.model.executionCount !== null);
  }, null, { timeout: config.notebookTimeoutMs, polling: 500 });

  // 3. Errors: error outputs in the model, and stderr as the page shows it.
  const found = await page.evaluate((stderrSelector) => {
    const w = window.jupyterapp.shell.currentWidget;
    const out = [];
    w.content.widgets.forEach((cell, i) => {
      if (cell.model.type !== 'code') return;
      const outputs = cell.model.outputs.toJSON();
      for (const o of outputs) {
        if (o.output_type === 'error') out.push({ cell: i + 1, kind: 'error', text: `${o.ename}: ${o.evalue}` });
      }
      for (const el of cell.node.querySelectorAll(stderrSelector)) {
        out.push({ cell: i + 1, kind: 'stderr', text: el.textContent.trim().slice(0, 300) });
      }
    });
    return out;
  }, STDERR);
  const allowed = new Set(nb.allowStderr || []);
  for (const f of found) {
    if (f.kind === 'stderr' && allowed.has(f.cell)) continue;
    problems.push(`cell ${f.cell} shows ${f.kind === 'error' ? 'an error' : 'stderr'}: ${f.text}`);
  }

  // 4. Every declared rendering is drawn: the element exists and has a size. Mermaid and Vega
  //    draw asynchronously, so wait for them a little.
  for (const kind of nb.renders) {
    const selector = RENDERINGS[kind];
    if (!selector) {
      problems.push(`declares an unknown rendering '${kind}' (known: ${Object.keys(RENDERINGS).join(', ')})`);
      continue;
    }
    const drawn = await page.waitForFunction((sel) => {
      const w = window.jupyterapp.shell.currentWidget;
      return [...w.node.querySelectorAll(sel)].some((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      });
    }, selector, { timeout: 10000, polling: 250 }).then(() => true, () => false);
    if (!drawn) {
      problems.push(`declares rendering '${kind}' but no output draws it (nothing matches ${selector})`);
    }
  }

  // 5. Pictures in both themes (or in the one it loaded in): the whole notebook, the first output
  //    of each rendering, and each declared view's cell.
  if (config.theme) {
    await viewShots(page, nb, config.theme, screenshots);
    await cellShots(page, config.theme, problems, screenshots);
    await screenshot(page, nb, config.theme, screenshots);
    return;
  }
  await viewShots(page, nb, 'light', screenshots);
  await screenshot(page, nb, 'light', screenshots);
  await setTheme(page, DARK);
  await viewShots(page, nb, 'dark', screenshots);
  await screenshot(page, nb, 'dark', screenshots);
  await setTheme(page, LIGHT);
}

// views/NAME-KIND-THEME.png: the output area holding the first drawing of each declared rendering.
async function viewShots(page, nb, theme, screenshots) {
  const dir = path.join(config.screenshots, 'views');
  fs.mkdirSync(dir, { recursive: true });
  for (const kind of nb.renders) {
    const selector = RENDERINGS[kind];
    if (!selector) continue;
    const handle = await page.evaluateHandle((sel) => {
      const w = window.jupyterapp.shell.currentWidget;
      const el = [...w.node.querySelectorAll(sel)].find((e) => e.getBoundingClientRect().width > 0);
      return el ? el.closest('.jp-OutputArea-output') || el : null;
    }, selector);
    const element = handle.asElement();
    if (!element) continue;
    await element.scrollIntoViewIfNeeded().catch(() => {});
    const file = path.join(dir, path.basename(nb.path, '.ipynb') + '-' + kind + '-' + theme + '.png');
    await element.screenshot({ path: file }).then(() => screenshots.push(file), () => {});
  }
}

// CELLSHOTS/NAME-THEME.png: the output area of each cell that declares a view, cropped to it.
async function cellShots(page, theme, problems, screenshots) {
  if (!config.cellShots) return;
  fs.mkdirSync(config.cellShots, { recursive: true });
  // The file browser closed: the notebook gets the page's width and the outputs their own.
  await page.evaluate(() => window.jupyterapp.shell.collapseLeft());
  const views = await page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets.map((c, i) => {
      const v = c.model.type === 'code' && c.model.getMetadata('wirelab');
      return v && v.view ? { index: i, name: v.view, draws: v.draws } : null;
    }).filter((v) => v);
  });
  // Tall enough that a whole output fits in the notebook's scrolling panel.
  await page.setViewportSize({ width: WIDTH, height: 2400 });
  try {
    for (const v of views) await cellShot(page, v, theme, problems, screenshots);
  } finally {
    await page.setViewportSize({ width: WIDTH, height: 900 });
  }
}

async function cellShot(page, v, theme, problems, screenshots) {
  const selector = RENDERINGS[v.draws];
  if (!selector) {
    problems.push(`view '${v.name}' declares an unknown drawing '${v.draws}'`);
    return;
  }
  const drawn = await page.waitForFunction(([i, sel]) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[i];
    return [...cell.node.querySelectorAll(sel)].some((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    });
  }, [v.index, selector], { timeout: 10000, polling: 250 }).then(() => true, () => false);
  if (!drawn) {
    problems.push(`view '${v.name}' (cell ${v.index + 1}) does not draw '${v.draws}'`);
    return;
  }
  const handle = await page.evaluateHandle((i) =>
    window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.jp-OutputArea'), v.index);
  const element = handle.asElement();
  await element.scrollIntoViewIfNeeded().catch(() => {});
  // Let Mermaid and Vega finish laying out after the scroll.
  await page.waitForTimeout(300);
  // The outputs without the prompt column beside them.
  const clip = await element.evaluate((area) => {
    const a = area.getBoundingClientRect();
    const outputs = [...area.querySelectorAll('.jp-OutputArea-output')].map((o) => o.getBoundingClientRect());
    const left = outputs.length ? Math.min(...outputs.map((r) => r.left)) : a.left;
    return { x: left, y: a.top, width: a.right - left, height: a.height };
  });
  const file = path.join(config.cellShots, `${v.name}-${theme}.png`);
  await page.screenshot({ path: file, clip });
  screenshots.push(file);
}

async function pickKernelIfAsked(page) {
  const dialog = await page.waitForSelector('.jp-Dialog', { timeout: 3000 }).catch(() => null);
  if (!dialog) return;
  const select = await dialog.$('select');
  if (select) {
    const values = await select.$$eval('option', (os) => os.map((o) => o.value));
    const wanted = values.find((v) => v.includes('wirelab'));
    if (!wanted) throw new Error(`the kernel dialog offers no wirelab kernel (options: ${values.join(', ')})`);
    await select.selectOption(wanted);
  }
  await dialog.$eval('.jp-Dialog-button.jp-mod-accept', (b) => b.click());
}

async function kernelStatus(page) {
  return page.evaluate(() => {
    const s = window.jupyterapp.shell.currentWidget.sessionContext;
    const k = s.session && s.session.kernel;
    return k ? `${k.status}, connection ${k.connectionStatus}` : 'no kernel';
  }).catch((e) => `unknown: ${e.message}`);
}

async function setTheme(page, theme) {
  await page.evaluate(async (t) => {
    await window.jupyterapp.commands.execute('apputils:change-theme', { theme: t });
  }, theme);
  await page.waitForFunction((t) => document.body.dataset.jpThemeName === t, theme, { timeout: 20000 });
  // The theme's CSS swaps in after the attribute; let outputs re-render in the new colours.
  await page.waitForTimeout(1000);
}

// A screenshot as tall as the notebook's content (up to 8000 px), so every output is in it.
async function screenshot(page, nb, label, screenshots) {
  // The notebook scrolls inside its own panel: grow the window by what is hidden below the fold.
  const height = await page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    if (!w || !w.content) return 900;
    const scrollers = [w.content.node, ...w.content.node.querySelectorAll('.jp-WindowedPanel-outer')];
    const hidden = Math.max(...scrollers.map((el) => el.scrollHeight - el.clientHeight));
    return window.innerHeight + Math.max(0, hidden);
  });
  await page.setViewportSize({ width: WIDTH, height: Math.min(8000, Math.max(900, height + 40)) });
  await page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    if (!w || !w.content) return;
    w.content.activeCellIndex = 0;
    for (const el of [w.content.node, ...w.content.node.querySelectorAll('.jp-WindowedPanel-outer')]) {
      el.scrollTop = 0;
    }
  });
  await page.waitForTimeout(500);
  const name = path.basename(nb.path, '.ipynb') + '-' + label + '.png';
  const file = path.join(config.screenshots, name);
  await page.screenshot({ path: file });
  screenshots.push(file);
  await page.setViewportSize({ width: WIDTH, height: 900 });
}

// Saves the executed copy (the root is a throwaway copy of notebooks/), stops its kernel and
// closes every tab, so the next notebook starts alone.
async function closeAll(page) {
  await page.evaluate(async () => {
    const app = window.jupyterapp;
    for (const w of [...app.shell.widgets('main')]) {
      if (w.context && w.context.model) {
        await w.context.save().catch(() => {});
        w.context.model.dirty = false;
      }
      if (w.sessionContext) {
        await w.sessionContext.shutdown().catch(() => {});
      }
      w.dispose();
    }
  });
  await page.waitForFunction(() => !document.querySelector('.jp-NotebookPanel'), null, { timeout: 15000 });
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function writeResults(results) {
  fs.writeFileSync(resultsFile, JSON.stringify({ notebooks: results }, null, 2));
}

main().catch((e) => {
  process.stderr.write(`browser: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
