// Semantic colour tokens: components name a meaning (role.master, status.error), never a literal colour.
// In `none` mode (NO_COLOR) every token resolves to no styling, so meaning must also live in symbols and words.
import type { TextProps } from 'ink';

export type ColorMode = 'color' | 'none';

export type Token =
  | 'role.master'
  | 'role.replica'
  | 'role.sentinel'
  | 'role.unknown'
  | 'status.ok'
  | 'status.warn'
  | 'status.error'
  | 'status.muted'
  | 'status.info'
  | 'severity.info'
  | 'severity.notice'
  | 'severity.warning'
  | 'severity.critical'
  | 'border.default'
  | 'border.focus'
  | 'border.modal'
  | 'text.title'
  | 'text.key'
  | 'text.code'
  | 'text.heading'
  | 'selection';

type Style = Pick<TextProps, 'color' | 'bold' | 'dimColor' | 'inverse' | 'underline'>;

const palette: Record<Token, Style> = {
  'role.master': { color: 'magentaBright', bold: true },
  'role.replica': { color: 'cyan' },
  'role.sentinel': { color: 'yellow' },
  'role.unknown': { color: 'gray' },
  'status.ok': { color: 'green' },
  'status.warn': { color: 'yellow' },
  'status.error': { color: 'red', bold: true },
  'status.muted': { color: 'gray' },
  'status.info': { color: 'blue' },
  'severity.info': { color: 'gray' },
  'severity.notice': { color: 'cyan' },
  'severity.warning': { color: 'yellow' },
  'severity.critical': { color: 'red', bold: true },
  'border.default': { color: 'gray' },
  'border.focus': { color: 'cyan' },
  'border.modal': { color: 'magenta' },
  'text.title': { bold: true },
  'text.key': { color: 'cyan', bold: true },
  'text.code': { color: 'green' },
  'text.heading': { bold: true, underline: true },
  selection: { inverse: true },
};

export interface Theme {
  mode: ColorMode;
  /** Text props for a token; `{}` in none mode. */
  style(token: Token): Style;
  /** Colour name for a border; undefined in none mode. */
  border(token: 'border.default' | 'border.focus' | 'border.modal'): string | undefined;
}

const EMPTY: Style = {};

export function createTheme(mode: ColorMode): Theme {
  return {
    mode,
    style: (token) => (mode === 'none' ? EMPTY : palette[token]),
    border: (token) => (mode === 'none' ? undefined : (palette[token].color as string | undefined)),
  };
}

/** NO_COLOR (https://no-color.org): present with any value, even empty, means no colour. */
export function colorModeFromEnv(env: NodeJS.ProcessEnv = process.env): ColorMode {
  return env.NO_COLOR !== undefined ? 'none' : 'color';
}

export function severityToken(severity: 'info' | 'notice' | 'warning' | 'critical'): Token {
  return `severity.${severity}`;
}
