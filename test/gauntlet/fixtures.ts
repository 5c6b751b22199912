/**
 * The few workspaces and effects the scenarios share, so each scenario's table row shows only its
 * quirk. Every effect is checked on disk: an edit, a new file, or a command's output file.
 */

/** A one-line file; the edit turns "world" into "there". */
export const HELLO = { 'hello.txt': 'Hello world\n' }
export const HELLO_EDITED = { 'hello.txt': 'Hello there\n' }
export const EDIT = { path: 'hello.txt', old_string: 'world', new_string: 'there' }

/** A new file with two lines. */
export const NOTE_CONTENT = 'first line\nsecond line\n'
export const WRITE = { path: 'notes.txt', content: NOTE_CONTENT }
export const WRITTEN = { 'notes.txt': NOTE_CONTENT }

/** A command that appends one line per run: the file tells how many times it ran. */
export const BASH = { command: 'echo ran >> ran.log' }
export const RAN_ONCE = { 'ran.log': 'ran\n' }

/** A file with a repeated word, for replace_all. */
export const TWICE = { 'twice.txt': 'x = 1\nx = 2\n' }
export const TWICE_EDITED = { 'twice.txt': 'y = 1\ny = 2\n' }

/** Numbered lines, for old_string copied from the read tool's output. */
export const LINES = { 'lines.txt': 'alpha\nbeta\ngamma\ndelta\n' }

/** A small Python module in a subfolder, for container paths. */
export const APP = { 'src/app.py': 'def greet():\n    return "hi"\n' }
export const APP_EDITED = { 'src/app.py': 'def greet():\n    return "hello"\n' }
