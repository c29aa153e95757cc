// noreplicas finished from what the screen says, without P or v: see lesson-walk.ts.
import { noreplicasFromScreen } from './lesson-walk.js';

noreplicasFromScreen();
