// Build Insights page script. It receives typed messages from the extension host
// (src/presentation/insights/messages.ts: HostMessage) and builds the page with DOM APIs only:
// every string from a build goes in through textContent or setAttribute, never innerHTML, so
// labels, paths and stderr show as text whatever characters they hold. The page's CSP allows
// only this nonce'd script; it sends only the protocol's messages back.
'use strict';
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOR_VAR = /^--vscode-[A-Za-z0-9-]+$/;

  /** An element with a class and optional text (always as text). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    return node;
  }

  function colorOf(colorVar) {
    return typeof colorVar === 'string' && COLOR_VAR.test(colorVar)
      ? `var(${colorVar})`
      : 'var(--vscode-foreground)';
  }

  function section(title) {
    const s = el('section');
    s.appendChild(el('h2', '', title));
    return s;
  }

  /** `wide`: the index of the one column that takes the spare width (a message). */
  function table(headers, rows, caption, wide) {
    const t = el('table');
    if (caption) t.appendChild(el('caption', 'visually-hidden', caption));
    const head = el('thead');
    const hr = el('tr');
    for (const h of headers) {
      const th = el('th', '', h);
      th.setAttribute('scope', 'col');
      hr.appendChild(th);
    }
    head.appendChild(hr);
    t.appendChild(head);
    const body = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      row.forEach((cell, i) => tr.appendChild(el('td', wide === i ? 'wide' : '', cell)));
      body.appendChild(tr);
    }
    t.appendChild(body);
    return t;
  }

  function renderBar(bar) {
    const s = section('Where the actions ran');
    if (bar.total === 0) {
      s.appendChild(el('p', 'note', bar.internal > 0 ? 'Nothing to run: up to date.' : 'No actions yet.'));
      return s;
    }
    const strip = el('div', 'bar');
    strip.setAttribute('role', 'img');
    strip.setAttribute(
      'aria-label',
      bar.segments.map((g) => `${g.title}: ${g.count} (${g.percentText})`).join(', '),
    );
    const legend = el('ul', 'legend');
    for (const g of bar.segments) {
      const part = el('span', 'segment');
      part.style.width = `${Math.max(0, Math.min(100, g.share * 100))}%`;
      part.style.backgroundColor = colorOf(g.colorVar);
      part.title = `${g.title}: ${g.count} (${g.percentText})`;
      part.dataset.location = g.key;
      strip.appendChild(part);
      const item = el('li');
      const swatch = el('span', 'swatch');
      swatch.style.backgroundColor = colorOf(g.colorVar);
      item.appendChild(swatch);
      item.appendChild(el('span', '', `${g.title} `));
      item.appendChild(el('strong', '', String(g.count)));
      item.appendChild(el('span', 'muted', ` ${g.percentText}`));
      legend.appendChild(item);
    }
    s.appendChild(strip);
    s.appendChild(legend);
    const internal =
      bar.internal > 0 ? `; ${bar.internal} more ran inside Bazel without a process` : '';
    s.appendChild(el('p', 'muted', `${bar.total} actions${internal}`));
    return s;
  }

  function renderSlowest(slowest) {
    const s = section('Slowest actions');
    if (slowest.actions.length === 0) {
      s.appendChild(
        el(
          'p',
          'note',
          'Bazel gave no per-action times for this build (Bazel 4.2.3 reports none); the critical path below shows where the time went.',
        ),
      );
      return s;
    }
    s.appendChild(
      table(
        ['Target', 'Mnemonic', 'Output', 'Where', 'Time'],
        slowest.actions.map((a) => [a.label, a.mnemonic, a.output || '—', a.locationTitle, a.durationText]),
        'The slowest actions, slowest first',
      ),
    );
    return s;
  }

  function renderFailed(failed) {
    if (failed.length === 0) return null;
    const s = section('Failed actions');
    s.appendChild(
      table(
        ['Target', 'Mnemonic', 'Output', 'Exit', 'Message'],
        failed.map((f) => [
          f.label,
          f.mnemonic,
          f.output || '—',
          f.exitCode === null ? '—' : String(f.exitCode),
          f.message || '—',
        ]),
        'Failed actions',
        4,
      ),
    );
    return s;
  }

  function seconds(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function renderCriticalPath(path, note) {
    const s = section('Critical path');
    if (path === null) {
      s.appendChild(el('p', 'note', note || 'No critical path.'));
      return s;
    }
    const remote =
      path.remoteShare === null ? '' : ` · ${Math.round(path.remoteShare * 100)}% of it remote`;
    s.appendChild(el('p', 'muted', `${seconds(path.totalMs)} in ${path.steps.length} ${path.steps.length === 1 ? 'step' : 'steps'}, first to last${remote}`));
    const list = el('ol', 'critical-path');
    for (const step of path.steps) {
      const item = el('li');
      const track = el('span', 'track');
      const fill = el('span', `fill ${step.kind}`);
      fill.style.width = `${Math.max(0.5, Math.min(100, step.share * 100))}%`;
      track.appendChild(fill);
      item.appendChild(track);
      item.appendChild(el('span', 'time', seconds(step.durationMs)));
      item.appendChild(el('span', 'what', step.description));
      list.appendChild(item);
    }
    s.appendChild(list);
    return s;
  }

  function renderHistory(chart, selectedId) {
    const s = section('History: remote cache hit rate and wall time');
    if (chart.points.length === 0) {
      s.appendChild(el('p', 'note', chart.description));
      return s;
    }
    const root = svg('svg', {
      viewBox: `0 0 ${chart.width} ${chart.height}`,
      role: 'img',
      'aria-labelledby': 'history-title history-desc',
      class: 'history',
    });
    const title = svg('title', { id: 'history-title' });
    title.textContent = chart.title;
    const desc = svg('desc', { id: 'history-desc' });
    desc.textContent = chart.description;
    root.appendChild(title);
    root.appendChild(desc);
    const { left, right, top, bottom } = chart.plot;
    for (const tick of chart.hitTicks) {
      root.appendChild(svg('line', { x1: left, x2: right, y1: tick.y, y2: tick.y, class: 'grid' }));
      const t = svg('text', { x: left - 4, y: tick.y + 4, 'text-anchor': 'end', class: 'axis hit' });
      t.textContent = tick.text;
      root.appendChild(t);
    }
    for (const tick of chart.wallTicks) {
      const t = svg('text', { x: right + 4, y: tick.y + 4, 'text-anchor': 'start', class: 'axis wall' });
      t.textContent = tick.text;
      root.appendChild(t);
    }
    for (const p of chart.points) {
      const bar = svg('rect', {
        x: p.bar.x,
        y: p.bar.y,
        width: p.bar.width,
        height: p.bar.height,
        class: p.invocationId === selectedId ? 'wall selected' : 'wall',
        'data-invocation': p.invocationId,
      });
      const tip = svg('title');
      tip.textContent = `${p.title} · ${p.result} · wall ${p.wallText} · hit rate ${p.hitText}`;
      bar.appendChild(tip);
      bar.addEventListener('click', () => select(p.invocationId));
      root.appendChild(bar);
    }
    const healthy = svg('line', {
      x1: left,
      x2: right,
      y1: chart.healthy.y,
      y2: chart.healthy.y,
      class: 'healthy',
    });
    root.appendChild(healthy);
    const healthyText = svg('text', { x: left + 4, y: chart.healthy.y - 4, class: 'healthy-label' });
    healthyText.textContent = chart.healthy.label;
    root.appendChild(healthyText);
    for (const line of chart.hitLines) {
      root.appendChild(
        svg('polyline', { points: line.map((q) => `${q.x},${q.y}`).join(' '), class: 'hit-line' }),
      );
    }
    for (const p of chart.points) {
      if (p.hitY === null) continue;
      const dot = svg('circle', { cx: p.x, cy: p.hitY, r: 3.5, class: 'hit-dot' });
      const tip = svg('title');
      tip.textContent = `${p.title} · hit rate ${p.hitText}`;
      dot.appendChild(tip);
      dot.addEventListener('click', () => select(p.invocationId));
      root.appendChild(dot);
    }
    root.appendChild(svg('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'axis-line' }));
    root.appendChild(svg('line', { x1: left, x2: left, y1: top, y2: bottom, class: 'axis-line' }));
    s.appendChild(root);
    const key = el('p', 'muted');
    key.appendChild(el('span', 'key-hit', '— remote cache hit rate (left axis)'));
    key.appendChild(document.createTextNode('  '));
    key.appendChild(el('span', 'key-wall', '▮ wall time (right axis)'));
    key.appendChild(document.createTextNode('  '));
    key.appendChild(el('span', 'key-healthy', '- - 80% mark of a healthy setup'));
    s.appendChild(key);
    const details = el('details');
    details.appendChild(el('summary', '', 'Show as a table'));
    details.appendChild(
      table(
        ['Build', 'Result', 'Remote cache hit rate', 'Wall time'],
        [...chart.points].reverse().map((p) => [p.title, p.result, p.hitText, p.wallText]),
        chart.title,
      ),
    );
    s.appendChild(details);
    return s;
  }

  function select(invocationId) {
    vscode.postMessage({ type: 'selectInvocation', invocationId: String(invocationId) });
  }

  function render(message) {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'empty') {
      app.replaceChildren(el('p', 'note empty', message.text));
      return;
    }
    if (message.type !== 'update') return;
    const inv = message.invocation;
    const header = el('header');
    header.appendChild(el('h1', '', inv.title));
    const sub = el('p', inv.running ? 'summary running' : 'summary', inv.summary);
    header.appendChild(sub);
    if (!message.followingLatest) {
      const follow = el('button', '', 'Follow the newest build');
      follow.type = 'button';
      follow.addEventListener('click', () => vscode.postMessage({ type: 'followLatest' }));
      header.appendChild(follow);
    }
    const parts = [
      header,
      renderBar(inv.bar),
      renderFailed(inv.failed),
      renderCriticalPath(inv.criticalPath, inv.criticalPathNote),
      renderSlowest(inv.slowest),
      renderHistory(message.history, inv.invocationId),
    ].filter((p) => p !== null);
    // Keep the table's open/closed state across live updates.
    const open = app.querySelector('details')?.open === true;
    app.replaceChildren(...parts);
    const details = app.querySelector('details');
    if (details && open) details.open = true;
    document.body.dataset.invocation = inv.invocationId;
  }

  window.addEventListener('message', (event) => render(event.data));
  vscode.postMessage({ type: 'ready' });
})();
