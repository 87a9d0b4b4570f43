// The "Configure Remote Execution" form's script (runs in the webview; no imports, no network).
// It renders what the host sends and sends the values back; the host validates everything
// (src/presentation/remote-form/messages.ts). The secret field is never filled from the host.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const FIELDS = [
    'executor', 'cache', 'instance', 'tlsCa', 'tlsCert', 'tlsKey',
    'headerName', 'headerValue', 'platform', 'jobs', 'downloadMode', 'besBackend',
  ];
  const $ = (id) => document.getElementById(id);
  const control = (name) => $('f-' + name);
  let trusted = true;
  let changeTimer = undefined;

  function values() {
    const out = {};
    for (const name of FIELDS) out[name] = control(name).value;
    return out;
  }

  function setValues(v) {
    for (const name of FIELDS) {
      // Never overwrite what the user is typing into the secret field.
      if (name === 'headerValue') continue;
      if (typeof v[name] === 'string') control(name).value = v[name];
    }
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  function send(type, extra) {
    vscode.postMessage(Object.assign({ type: type }, extra || {}));
  }

  function onChanged() {
    clearTimeout(changeTimer);
    changeTimer = setTimeout(() => send('changed', { values: values() }), 150);
  }

  function renderState(m) {
    trusted = m.trusted;
    $('workspace').textContent = m.workspace + ' (' + m.files.length + ' settings file(s) read)';
    $('trust').hidden = m.trusted;
    $('test').disabled = !m.trusted;
    $('apply').disabled = !m.trusted;
    const tool = $('tool');
    clear(tool);
    for (const t of m.tools) {
      const o = el('option', '', { bazel: 'Bazel', pants: 'Pants', buck2: 'Buck2' }[t] || t);
      o.value = t;
      tool.appendChild(o);
    }
    tool.value = m.tool;
    $('tool-row').hidden = m.tools.length < 2;
    const preset = $('preset');
    clear(preset);
    const none = el('option', '', '(choose a preset)');
    none.value = '';
    preset.appendChild(none);
    for (const p of m.presets) {
      const o = el('option', '', p.label);
      o.value = p.id;
      preset.appendChild(o);
    }
    preset.value = '';
    const shown = new Set(m.fields.map((f) => f.name));
    for (const name of FIELDS) {
      document.querySelector('[data-row="' + name + '"]').hidden = !shown.has(name);
      $('f-' + name + '-error').textContent = '';
    }
    for (const f of m.fields) $('f-' + f.name + '-where').textContent = f.where;
    setValues(m.values);
    control('headerValue').value = '';
    renderSecret(m.secret);
    const w = $('warnings');
    clear(w);
    for (const text of m.warnings) w.appendChild(el('p', 'warning', text));
    clear($('test-result'));
    clear($('preview-result'));
    setStatus('', '');
  }

  function renderSecret(secret) {
    const s = $('secret-state');
    s.textContent = secret.text;
    s.dataset.state = secret.state;
  }

  function renderErrors(errors) {
    for (const name of FIELDS) {
      const msg = errors[name] || '';
      $('f-' + name + '-error').textContent = msg;
      control(name).setAttribute('aria-invalid', msg === '' ? 'false' : 'true');
    }
  }

  function renderTests(results) {
    const box = $('test-result');
    clear(box);
    for (const r of results) {
      const card = el('div', 'card ' + (r.ok ? 'ok' : 'fail'));
      card.setAttribute('data-test-ok', r.ok ? 'true' : 'false');
      card.appendChild(el('h2', '', (r.ok ? '\u2713 ' : '\u2717 ') + r.title));
      const ul = el('ul');
      for (const line of r.lines) ul.appendChild(el('li', '', line));
      if (r.lines.length > 0) card.appendChild(ul);
      if (r.hint) card.appendChild(el('p', 'hint', 'Hint: ' + r.hint));
      box.appendChild(card);
    }
    setStatus(results.every((r) => r.ok) ? 'Connection test passed.' : 'Connection test failed.', results.every((r) => r.ok) ? 'ok' : 'fail');
    // The result is below the fields: bring it (and the buttons above it) into view.
    if (box.lastChild) box.lastChild.scrollIntoView({ block: 'end' });
  }

  function renderPreview(files, warnings) {
    const box = $('preview-result');
    clear(box);
    if (files.length === 0) box.appendChild(el('p', '', 'Nothing to change: the files already say this.'));
    for (const f of files) {
      box.appendChild(el('h2', '', f.action + ' ' + f.file));
      const pre = el('pre', 'diff');
      for (const line of f.diff.split('\n')) {
        const cls = line.startsWith('+') && !line.startsWith('+++') ? 'add'
          : line.startsWith('-') && !line.startsWith('---') ? 'del' : '';
        pre.appendChild(el('span', cls, line + '\n'));
      }
      box.appendChild(pre);
    }
    for (const w of warnings) box.appendChild(el('p', 'warning', w));
    setStatus('Preview of what Apply writes.', '');
    if (box.firstChild) box.firstChild.scrollIntoView({ block: 'start' });
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m.type !== 'string') return;
    switch (m.type) {
      case 'state': renderState(m); break;
      case 'values': setValues(m.values); $('preset-note').textContent = m.note; onChanged(); break;
      case 'validation': renderErrors(m.errors); break;
      case 'busy': setStatus({ test: 'Testing the connection\u2026', preview: 'Preparing the preview\u2026', apply: 'Applying\u2026' }[m.what], 'busy'); break;
      case 'testResult': renderTests(m.results); break;
      case 'preview': renderPreview(m.files, m.warnings); break;
      case 'applied':
        control('headerValue').value = '';
        renderSecret(m.secret);
        clear($('preview-result'));
        setStatus(m.written.length === 0 ? 'Applied: nothing needed changing.' : 'Applied: wrote ' + m.written.join(', ') + '.', 'ok');
        break;
      case 'error': setStatus(m.message, 'fail'); break;
    }
  });

  $('form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (trusted) send('test', { values: values() });
  });
  $('preview').addEventListener('click', () => send('preview', { values: values() }));
  $('apply').addEventListener('click', () => { if (trusted) send('apply', { values: values() }); });
  $('tool').addEventListener('change', () => send('selectTool', { tool: $('tool').value }));
  $('preset').addEventListener('change', () => {
    if ($('preset').value !== '') send('preset', { preset: $('preset').value, values: values() });
  });
  for (const name of FIELDS) {
    control(name).addEventListener('input', onChanged);
    control(name).addEventListener('change', onChanged);
  }
  send('ready');
})();
