/** The remote execution form's headless logic; src/views/remote-form/ puts it in a webview. */
export { RemoteFormController, type FormHost } from './controller';
export { emptyValues, fieldsFor, forWebview, type FieldName, type FormValues } from './fields';
export { settingsFromForm, valuesFromReport, parsePlatform } from './form-settings';
export { formCsp, formHtml } from './html';
export { parseWebviewMessage, type HostMessage, type WebviewMessage } from './messages';
export { applyPreset, PRESETS, type PresetId } from './presets';
export { parseStoredHeaders, secretState, secretStorageKey, secretStateText } from './secret-state';
export { testView } from './test-view';
export { validateForm } from './validate';
export { toolsIn } from './tools';
