// `.moteignore`: which project files never go to the board. A subset of
// .gitignore that users already know: comments, blank lines, `*`, `?`,
// `[abc]`, `**`, a trailing `/` for folders only, a leading (or inner) `/`
// to anchor at the project root, and `!` to re-include. As in git, the last
// matching rule wins, and a file inside an ignored folder stays ignored.

/** Always ignored, before the user's rules (which may re-include with `!`). */
export const DEFAULT_IGNORES = ['.git/', '__pycache__/', 'node_modules/', '.moteignore'];

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export class MoteIgnore {
  private constructor(private readonly rules: Rule[]) {}

  /** Rules from a .moteignore text (empty for none), after the defaults. */
  static parse(text = '', withDefaults = true): MoteIgnore {
    const lines = [...(withDefaults ? DEFAULT_IGNORES : []), ...text.split(/\r?\n/)];
    return new MoteIgnore(lines.map(parseLine).filter((r): r is Rule => r !== null));
  }

  /** `rel` is relative to the project root, with `/` separators, e.g. "lib/util.py". */
  ignores(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.re.test(rel)) ignored = !r.negate;
    }
    return ignored;
  }

  /** Whether `rel` (a file) or any folder above it is ignored: for paths found on the board. */
  ignoresPath(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (this.ignores(parts.slice(0, i).join('/'), true)) return true;
    return this.ignores(rel, false);
  }
}

function parseLine(raw: string): Rule | null {
  let line = raw.replace(/(?<!\\)\s+$/, '');
  if (!line || line.startsWith('#')) return null;
  const negate = line.startsWith('!');
  if (negate) line = line.slice(1);
  if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
  const dirOnly = line.endsWith('/');
  if (dirOnly) line = line.slice(0, -1);
  // A slash anywhere but the end anchors the pattern at the root; without
  // one it matches a name at any depth.
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  if (!line) return null;
  const body = globToRegex(line);
  return { re: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negate, dirOnly };
}

function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const slashAfter = glob[i + 2] === '/';
      i++;
      if (atStart && slashAfter) {
        re += '(?:.*/)?'; // "**/": zero or more folders
        i++;
      } else if (atStart && i === glob.length - 1) {
        re += '.*'; // trailing "/**": everything inside
      } else {
        re += '[^/]*'; // "a**b" is two stars, as in git
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      re += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]);
    else re += escapeRe(c);
  }
  return re;
}

function escapeRe(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}
