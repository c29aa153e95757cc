// The learner's path in the real app, part 4 of 6: see lesson-walk.ts.
import { walkLessons } from './lesson-walk.js';

walkLessons(3, 6);
