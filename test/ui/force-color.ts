// Imported first by color tests: chalk decides its colour level at import time, and test stdout is no TTY.
process.env.FORCE_COLOR = '3';
delete process.env.NO_COLOR;
