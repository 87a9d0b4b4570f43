import {
  applyPlan,
  planFileDiffs,
  planRemoteSet,
  readRemoteSettings,
  SINGLE_KEYS,
  type EffectiveReport,
  type SingleKey,
  type Tool,
  type WorkspaceOptions,
} from '../../config';
import type { ConnectionTestOptions } from '../../remote';
import { errorMessage } from '../../util/errors';
import { emptyValues, fieldsFor, fieldWhere, forWebview, type FormValues } from './fields';
import { settingsFromForm, valuesFromReport } from './form-settings';
import type { HostMessage, TestView, WebviewMessage } from './messages';
import { parseWebviewMessage } from './messages';
import { applyPreset, PRESETS } from './presets';
import { secretState, secretStateText, type SecretState } from './secret-state';
import { inputErrorView, testView } from './test-view';
import { resolveFilePath, validateForm } from './validate';

/** What the form needs from its host (the editor): kept small so the logic runs in plain Node. */
export interface FormHost {
  workspace: string;
  /** The tools the workspace has, the first chosen at open. */
  tools: Tool[];
  isTrusted(): boolean;
  /** The header values this editor stored (VS Code SecretStorage) for the workspace and tool. */
  storedHeaders(tool: Tool): Promise<Record<string, string>>;
  storeHeaders(tool: Tool, headers: Record<string, string>): Promise<void>;
  post(message: HostMessage): void;
  /** A line for the output channel; never given a value from the form. */
  log(line: string): void;
  /** Passed on to the config layer (HOME, system rc); tests point them at temp dirs. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string | null;
  systemRc?: string | null;
  testTimeoutMs?: number;
}

/** An error's class name only: a storage error's message might quote what it was given. */
function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

const FIELD_LABELS: Record<SingleKey, string> = {
  executor: 'The executor endpoint',
  cache: 'The cache endpoint',
  instance: 'The instance name',
  tlsCa: 'The TLS CA certificate',
  tlsCert: 'The TLS client certificate',
  tlsKey: 'The TLS client key',
  jobs: 'The remote parallelism (jobs)',
  downloadMode: 'The download mode',
  besBackend: 'The BES backend',
};

const TRUST_REFUSAL =
  'This workspace is not trusted (Restricted Mode): trust it to test a connection or write settings.';

/**
 * The form's logic behind the webview: every message is parsed by the schema first (malformed
 * ones are logged by reason and dropped), then answered with host messages. Secrets only flow
 * inwards: the values posted back never carry the header value.
 */
export class RemoteFormController {
  private tool: Tool;
  private report: EffectiveReport | null = null;
  /** What was in effect when the form was (re)filled: Apply writes only differences. */
  private baseline: FormValues = emptyValues();

  constructor(private readonly host: FormHost) {
    if (host.tools.length === 0) throw new Error('no build tool in the workspace');
    this.tool = host.tools[0];
  }

  get currentTool(): Tool {
    return this.tool;
  }

  private options(): WorkspaceOptions {
    return {
      workspace: this.host.workspace,
      tool: this.tool,
      config: null,
      env: this.host.env ?? process.env,
      homeDir: this.host.homeDir,
      systemRc: this.host.systemRc,
    };
  }

  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.host.log(`remote form: ignored a message from the webview (${parsed.reason})`);
      return;
    }
    try {
      await this.dispatch(parsed.message);
    } catch (err) {
      this.host.post({ type: 'error', message: errorMessage(err) });
    }
  }

  private async dispatch(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.sendState();
      case 'selectTool':
        if (!this.host.tools.includes(m.tool)) {
          this.host.log(`remote form: ignored selectTool for a tool the workspace lacks`);
          return;
        }
        this.tool = m.tool;
        return this.sendState();
      case 'changed':
        this.host.post({ type: 'validation', errors: this.validate(m.values) });
        return;
      case 'preset': {
        const values = applyPreset(m.values, m.preset, this.tool);
        const note = PRESETS.find((p) => p.id === m.preset)?.note ?? '';
        this.host.post({ type: 'values', values: forWebview(values), note });
        return;
      }
      case 'test':
        return this.test(m.values);
      case 'preview':
        return this.preview(m.values);
      case 'apply':
        return this.apply(m.values);
    }
  }

  private validate(values: FormValues) {
    return validateForm(values, this.tool, this.host.workspace);
  }

  /** Posts the field errors and returns false when there are any. */
  private checked(values: FormValues): boolean {
    const errors = this.validate(values);
    this.host.post({ type: 'validation', errors });
    if (Object.keys(errors).length === 0) return true;
    this.host.post({ type: 'error', message: 'Fix the fields marked in red first.' });
    return false;
  }

  private async secretFor(headerName: string): Promise<{ state: SecretState; text: string }> {
    const inFile = headerName === '' ? undefined : this.report?.headers[headerName]?.value;
    const stored =
      headerName === '' ? undefined : (await this.host.storedHeaders(this.tool))[headerName];
    const state = secretState(inFile, stored);
    return { state, text: secretStateText(state, headerName) };
  }

  private async sendState(): Promise<void> {
    const warnings: string[] = [];
    try {
      this.report = readRemoteSettings(this.options());
      warnings.push(...this.report.warnings);
    } catch (err) {
      this.report = null;
      warnings.push(`Could not read the current settings: ${errorMessage(err)}`);
    }
    this.baseline = this.report ? valuesFromReport(this.report) : emptyValues();
    this.host.post({
      type: 'state',
      workspace: this.host.workspace,
      tool: this.tool,
      tools: [...this.host.tools],
      fields: fieldsFor(this.tool).map((name) => ({ name, where: fieldWhere(this.tool, name) })),
      presets: PRESETS.map(({ id, label, note }) => ({ id, label, note })),
      values: forWebview(this.baseline),
      secret: await this.secretFor(this.baseline.headerName),
      trusted: this.host.isTrusted(),
      files: this.report?.files ?? [],
      warnings,
    });
  }

  /**
   * GetCapabilities against the executor (execution required) and, when it is another
   * endpoint, the cache; with the form's instance, TLS files and header. A header left empty
   * uses the secret already set (this editor's copy, else the secrets file's).
   */
  private async test(values: FormValues): Promise<void> {
    if (!this.host.isTrusted()) return this.host.post({ type: 'error', message: TRUST_REFUSAL });
    if (!this.checked(values)) return;
    const v = (s: string) => s.trim();
    const targets: { what: string; endpoint: string; requireExecution: boolean }[] = [];
    if (v(values.executor) !== '')
      targets.push({ what: 'Executor', endpoint: v(values.executor), requireExecution: true });
    if (v(values.cache) !== '' && v(values.cache) !== v(values.executor))
      targets.push({ what: 'Cache', endpoint: v(values.cache), requireExecution: false });
    if (targets.length === 0)
      return this.host.post({
        type: 'error',
        message: 'Enter an executor or a cache endpoint to test.',
      });
    const headerName = v(values.headerName);
    let headerValue = values.headerValue;
    if (headerName !== '' && headerValue === '')
      headerValue =
        (await this.host.storedHeaders(this.tool))[headerName] ??
        this.report?.headers[headerName]?.value ??
        '';
    const file = (s: string) => (v(s) === '' ? undefined : resolveFilePath(this.host.workspace, s));
    const base: Omit<ConnectionTestOptions, 'endpoint'> = {
      instanceName: v(values.instance) === '' ? undefined : v(values.instance),
      tlsCa: file(values.tlsCa),
      tlsCert: file(values.tlsCert),
      // Buck2 keeps certificate and key in one PEM file.
      tlsKey: this.tool === 'buck2' ? file(values.tlsCert) : file(values.tlsKey),
      headers:
        headerName !== '' && headerValue !== '' ? [{ name: headerName, value: headerValue }] : [],
      timeoutMs: this.host.testTimeoutMs,
    };
    this.host.post({ type: 'busy', what: 'test' });
    const results: TestView[] = [];
    for (const t of targets) {
      try {
        // gRPC is loaded by the first test, not when the extension activates.
        const { testConnection } = await import('../../remote');
        const result = await testConnection({
          ...base,
          endpoint: t.endpoint,
          requireExecution: t.requireExecution,
        });
        results.push(testView(t.what, result));
      } catch (err) {
        results.push(inputErrorView(t.what, err));
      }
    }
    this.host.log(
      `remote form: connection test ${results.map((r) => (r.ok ? 'passed' : 'failed')).join(', ')}`,
    );
    this.host.post({ type: 'testResult', results });
  }

  private plan(values: FormValues) {
    return planRemoteSet(this.options(), settingsFromForm(values, this.tool, this.baseline));
  }

  private async preview(values: FormValues): Promise<void> {
    if (!this.checked(values)) return;
    this.host.post({ type: 'busy', what: 'preview' });
    const plan = this.plan(values);
    this.host.post({
      type: 'preview',
      files: planFileDiffs(plan),
      warnings: [...plan.warnings, ...this.emptiedWarnings(values)],
    });
  }

  /**
   * `set` only adds or changes: a field emptied in the form stays in effect. Say so, with the
   * line it comes from, rather than let the preview suggest it goes away.
   */
  private emptiedWarnings(values: FormValues): string[] {
    const out: string[] = [];
    for (const key of SINGLE_KEYS) {
      const source = this.report?.single[key];
      if (source === undefined || values[key].trim() !== '' || this.baseline[key].trim() === '')
        continue;
      out.push(
        `${FIELD_LABELS[key]} was emptied but stays in effect from ${source.file}:${source.line}; ` +
          'Apply does not remove settings (Disable removes what Remote Build Lens added).',
      );
    }
    return out;
  }

  private async apply(values: FormValues): Promise<void> {
    if (!this.host.isTrusted()) return this.host.post({ type: 'error', message: TRUST_REFUSAL });
    if (!this.checked(values)) return;
    this.host.post({ type: 'busy', what: 'apply' });
    const settings = settingsFromForm(values, this.tool, this.baseline);
    const plan = planRemoteSet(this.options(), settings);
    const written = applyPlan(plan);
    if (settings.headers !== undefined) {
      // The secrets file is the source of truth and is written; a SecretStorage failure (e.g.
      // no keyring) only means the form cannot compare, which the secret state then shows.
      try {
        const stored = await this.host.storedHeaders(this.tool);
        await this.host.storeHeaders(this.tool, { ...stored, ...settings.headers });
      } catch (err) {
        this.host.log(
          `remote form: could not keep the secret in SecretStorage (${errorName(err)})`,
        );
      }
    }
    this.host.log(
      `remote form: applied to ${written.length === 0 ? 'no file' : written.join(', ')}`,
    );
    this.report = readRemoteSettings(this.options());
    this.baseline = valuesFromReport(this.report);
    const headerName = values.headerName.trim() || this.baseline.headerName;
    this.host.post({ type: 'applied', written, secret: await this.secretFor(headerName) });
  }
}
