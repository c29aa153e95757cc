// The active theme (colour or NO_COLOR), passed explicitly through context so tests can force either mode.
import { useContext } from 'react';
import { ThemeContext } from '../contexts.js';
import type { Theme } from '../theme/tokens.js';

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
