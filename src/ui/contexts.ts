// React contexts for the lab (controller + store), the UI store and the theme; one provider each, set by App.
import { createContext } from 'react';
import type { LabController } from '../state/controller.js';
import type { UiStore } from './state/ui-store.js';
import { createTheme, type Theme } from './theme/tokens.js';

export const ControllerContext = createContext<LabController | null>(null);
export const UiStoreContext = createContext<UiStore | null>(null);
export const ThemeContext = createContext<Theme>(createTheme('color'));
